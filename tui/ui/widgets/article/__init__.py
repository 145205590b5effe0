"""ui/widgets/article"""
