from poa_xlsx.cli import main

main()
