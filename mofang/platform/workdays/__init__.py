"""工作日历 (working-day calendar): China's statutory holidays and make-up working days (from the
maintained `chinesecalendar` package) plus the days a bureau adds for its own region, so that
deadlines written "N 个工作日" are counted the way the bureau counts them."""
