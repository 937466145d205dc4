"""`python -m policylint` runs the command line."""
from .cli import main

main()
