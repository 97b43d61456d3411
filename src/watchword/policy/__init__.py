"""A resource's rules: the policy document and its pure evaluation."""
