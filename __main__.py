from qunce.cli import main

main()
