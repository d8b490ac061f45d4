from p2c_kiosk import main

raise SystemExit(main())
