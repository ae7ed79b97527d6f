from pointe.cli import main

main()
