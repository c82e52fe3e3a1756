"""The evaluators of rules whose deadlines the standard evaluator cannot compute,
and the findings hooks, one module per process."""
