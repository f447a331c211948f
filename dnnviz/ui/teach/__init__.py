"""Teaching tools: lessons, the step-through, the gradient check, predictions."""
