# read-only probe placeholder
