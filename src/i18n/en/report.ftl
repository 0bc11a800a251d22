# The reports' words in English: the HTML report, and the tables and sentences every human
# format shares. Placeables hold text made elsewhere (numbers already formatted); `$count`,
# `$origins` and `$horizon` are numbers, for the plural forms.

number-percent = { $n }%

## The monthly table
report-col-month = Month
report-col-clicks = Clicks
report-col-earned = Earned
report-col-confirmed = Confirmed
report-col-pending-end = Pending (end)
report-col-unpaid-end = Unpaid (end)
report-col-cash = Cash
report-col-dead = Dead links
report-legend = Clicks start from traffic.clicks_per_month = { $clicks } (the first month's expected clicks, before seasonality, events and day-to-day noise). Pending: earned, not yet confirmed or reversed. Unpaid: confirmed but not yet in the bank (waiting for settlement, in the balance, or in transit).
report-legend-dead = Dead links: the share of the month's clicks that land on a dead listing ([links], your assumption), before the refreshes of later months.

## The summary
report-summary-figure = Figure
report-summary-mean = mean
report-summary-what = What it is
report-metric-total_clicks = clicks, all months
report-metric-total_earned = commission earned
report-metric-total_confirmed = confirmed
report-metric-total_reversed = cancels, refunds
report-metric-total_cash = cash, net of fees
report-metric-total_fees = withdrawal fees
report-metric-run_rate_confirmed = confirmed / month*
report-metric-run_rate_cash = cash / month*
report-metric-epc = confirmed / click
report-metric-reversal_rate = reversed share
report-metric-first_cash_month = first cash
report-run-rate-note = * mean over the last 6 months: the monthly income once the pipeline is full. Totals are over the whole horizon.

## Breakdowns
report-part-category = Category
report-part-region = Region
report-part-clicks = Clicks
report-part-orders = Orders
report-part-earned = Earned
report-part-confirmed = Confirmed
report-part-reversed = Reversed
report-part-run_rate_confirmed = Run rate*
report-part-epc = EPC

## Assumptions
report-assumption-range = 90% between { $low } and { $high }
report-assumption-spread = median { $median }, p90 { $p90 }
report-assumption-method = from { $minimum }, fee { $fee }, { $days ->
    [one] { $days } day
   *[other] { $days } days
} to the bank
report-assumption-method-percent = { $fee } + { $percent }%
report-assumption-method-cap = { $fee } (at most { $cap })
report-origin-file = file
report-origin-preset = preset { $preset }
report-origin-default = default
report-origin-one-region = default (one global region)
report-origin-same-as = default (= { $key })
report-origin-country = default for { $code } (buyer protection)

## Notes under the figures
report-opening = Opening pipeline from the export as of { $date }: { $pending-orders } pending orders ({ $pending } { $currency } of commission not yet confirmed) and { $unsettled-orders } confirmed orders not yet settled ({ $unsettled } { $currency }); { $skipped } settled or reversed orders of the export are not part of the forecast.
report-months = { $count ->
    [one] { $count } month
   *[other] { $count } months
}
report-note-nothing-confirmed = No commission is confirmed within { $horizon } in any trial: nothing reaches the balance (no clicks, no conversion, every order reversed, or confirmation takes longer than the horizon).
report-note-no-cash = No cash reaches the bank within { $horizon } in any trial. By the end the payable balance is { $balance } { $currency } (median) with { $unsettled } { $currency } confirmed but not yet settled, under the withdrawal threshold of { $threshold } { $currency }: the balance keeps growing until it gets there. Lower withdraw_at or forecast more months.
report-note-some-no-cash = { $without } of { $trials } trials had no cash in the bank within { $horizon }; first_cash_month (its mean and its percentiles) counts only the others.

## Withdrawal advice
report-advice-heading = Withdrawal advice (fee per withdrawal: { $fee } { $currency }{ $percent }; means over trials)
report-advice-col-threshold = withdraw_at
report-advice-col-withdrawals = withdrawals
report-advice-col-fees = fees
report-advice-col-fee-share = fees / cash
report-advice-col-cash = cash
report-advice-col-days = days confirmed → bank
report-advice-quickest = withdraw_at = { $threshold }: the quickest threshold whose fees stay under { $limit } of the cash (fees { $share }, { $days } days from confirmation to bank on average)
report-advice-cheapest = no threshold keeps fees under { $limit } of the cash within the horizon; withdraw_at = { $threshold } costs least ({ $share } in fees)
report-advice-none = no withdrawal reaches the bank within the horizon at any of these thresholds
report-advice = Advice: { $reason }. (* = this scenario's threshold)

## Refresh advice
report-refresh-heading = Refresh advice (dead links; cost per refresh: { $cost } { $currency }; means over the same trials)
report-refresh-col-cadence = refresh
report-refresh-col-refreshes = refreshes
report-refresh-col-cash = cash
report-refresh-col-run-rate = cash / month (run rate)
report-refresh-col-net = net of refresh cost
report-cadence-never = never
report-cadence-monthly = every month
report-cadence-months = every { $months } months
report-refreshes = { $count ->
    [one] { $count } refresh
   *[other] { $count } refreshes
}
report-refresh-no-difference = every cadence brings the same cash: in this scenario dead links cost nothing (no link dies, or a dead-link click converts like a live one), so refreshing is not worth any time
report-refresh-pays = refresh { $cadence } ({ $refreshes } within the horizon): { $more } { $currency } more cash than never refreshing ({ $best } against { $never }), and { $net } { $currency } more after { $cost } { $currency } per refresh, the most of any cadence
report-refresh-costs = do not refresh: the best cadence for cash ({ $cadence }) brings { $more } { $currency } more than never refreshing, less than its { $refreshes } cost at { $cost } { $currency } each
report-refresh-advice = Advice: { $reason }. (* = this scenario's refresh_every_months)

## Comparisons
report-objective-cash = cash in the bank
report-objective-confirmed = confirmed commission
report-per-month = per month
report-per-horizon = over the whole horizon
report-worlds-almost-all = more than { $percent }
report-worlds-few = less than { $percent }
report-verdict-spread = The difference is not the same in every simulated world: in 8 of 10 it lies between { $low } and { $high }, and { $name } comes out ahead in { $ahead } of them.
report-verdict-noise-se = ± { $noise } is the simulation's own noise after { $trials } trials, not a range of outcomes
report-verdict-identical = identical to { $base } in every simulated world ({ $objective } is the same in all { $trials } trials).
report-verdict-more = { $amount }{ $per } more { $what } than { $base } on average ({ $noise }).
report-verdict-less = { $amount }{ $per } less { $what } than { $base } on average ({ $noise }).
report-verdict-noise = no difference in { $what }{ $per } from { $base } that the simulation can tell from its own noise ({ $amount } on average, { $noise }){ $settle }.
report-verdict-settle = ; about { $trials } trials would tell them apart

## The track record (backtest)
report-track-heading = Backtest of { $scenario } — { $origins } origins, { $horizon } months ahead, { $trials } trials each, seed { $seed } (money in { $currency })
report-track-over = Over { $origins ->
    [one] { $origins } origin
   *[other] { $origins } origins
} with { $horizon ->
    [one] { $horizon } month
   *[other] { $horizon } months
} ahead each:
report-track-none = no { $metric } months to score
report-track-coverage = the 80% band held { $covered } of { $points } months of { $what } ({ $percent }): { $verdict }
report-track-skill-lower = Against repeating the last full month, the forecast's quantile loss on confirmed money was { $percent } lower (skill { $skill }).
report-track-skill-higher = Against repeating the last full month, the forecast's quantile loss on confirmed money was { $percent } higher (skill { $skill }).
report-track-few = With this few months the binomial error is too large to call the bands right or wrong: give a longer export, or more origins.
report-track-good = The bands were honest about this site's past: an 80% band can be read as 8 months in 10.
report-track-bad = The bands were not calibrated on this site's past: read them with care, and look at which months missed below.
report-track-overlap = (Months scored from overlapping origins are not independent, so the counts are less certain than they look.)
report-track-too-few = too few points to tell
report-track-calibrated = calibrated
report-track-too-narrow = bands too narrow: the months varied more than the forecast allowed
report-track-too-wide = bands too wide: the months varied less than the forecast allowed
report-track-biased-low = biased low: the actual months came in above most of the simulated ones
report-track-biased-high = biased high: the actual months came in below most of the simulated ones
report-scored-orders = orders
report-scored-earned = earned commission
report-scored-confirmed = confirmed commission
report-score-col-metric = metric
report-score-col-months = months
report-score-col-covered = in 80% band
report-score-col-coverage = coverage
report-score-col-pinball = pinball loss
report-score-col-naive = naive loss
report-score-col-skill = skill
report-score-col-verdict = verdict

## Charts
report-chart-money = { $scenario }: money by month
report-chart-month = Month
report-chart-money-axis = { $currency } (flows per month; pending: balance at month end)
report-chart-band = cash p10–p90
report-chart-cash-median = cash median
report-chart-confirmed-median = confirmed median
report-chart-pending-median = pending balance median
report-chart-cash-mean = cash mean
report-chart-dead-axis = clicks on dead links (median)
report-chart-dead = dead links, share of clicks (right axis)
report-chart-first-withdrawal = first withdrawal ({ $month })
report-chart-per-variant = { $objective } per variant
report-chart-median-axis = { $currency } (p10–p90, median)
report-chart-difference = difference vs { $base } (paired)
report-chart-mean-axis = { $currency } (p10–p90, mean)
report-chart-backtest = { $scenario }: the forecast against what happened
report-chart-backtest-band = forecast p10–p90, each origin
report-chart-backtest-median = forecast median
report-chart-actual = actual

## The HTML report
report-html-title = { $scenario } — affcast report
report-html-sub = What this affiliate site will actually get paid, and when: { $trials } simulated worlds (seed { $seed }), { $months } months from { $start }, money in { $currency }.
report-html-cards = Headline figures
report-card-run-rate-confirmed = Monthly income, confirmed (run rate)
report-card-run-rate-cash = Cash in the bank per month (run rate)
report-card-epc = Earnings per click (EPC)
report-card-reversal = Reversal rate
report-card-first-cash = First cash in the bank
report-card-fees = Withdrawal fees, whole horizon
report-card-range = 10–90%: { $low } to { $high }{ $unit }
report-card-per-month = per month
report-card-per-click = per click
report-card-resolved = of commission resolved
report-card-none = not within the horizon
report-html-money = Money by month
report-html-fan-note = The band is where cash lands in 8 of 10 simulated worlds; the line is the median world, the dashed line the average.
report-html-monthly = Monthly figures
report-html-cells = Each cell: the median, and below it the 10th–90th percentile range.
report-html-summary = Summary
report-html-by-category = Income by category
report-html-by-region = By region
report-html-parts-note = Each cell: the median, and below it the 10th–90th percentile range. The parts add up to the totals in every simulated world.
report-html-advice = Withdrawal advice
report-html-refresh = Refresh advice
report-html-mixes = Category mixes
report-html-mixes-note = Each mix runs the same { $trials } simulated worlds; judged on { $what }{ $per }. Ranges: 8 in 10 worlds.
report-mix-col-mix = Mix
report-mix-col-shares = Share of clicks
report-mix-col-difference = Difference from { $base }
report-mix-col-ahead = Ahead of { $base } in
report-mix-of-worlds = { $percent } of worlds
report-html-track = Track record
report-html-track-note = At each origin the export was cut to what was known then, fitted, and forecast with the clicks the next months actually had; the black line is what happened.
report-html-assumptions = Assumptions
report-html-assumptions-note = Every parameter in force after the preset, and where its value came from. Values written as a 90% range are drawn once per simulated world.
report-assumption-col-key = Parameter
report-assumption-col-value = Value
report-assumption-col-from = From
report-html-read = How to read this
report-read-pending = <b>Pending</b>: commission of orders paid through your links. It is an estimate until the buyer confirms receipt, or buyer protection ends.
report-read-confirmed = <b>Confirmed</b>: commission that will be paid. <b>Reversed</b>: lost to a cancellation, a refund, or an order voided after 180 days without confirmation.
report-read-payable = <b>Payable</b>: confirmed money credited to your balance at settlement (monthly around the 25th on Portals, within days on networks).
report-read-cash = <b>Cash</b>: what reaches your bank after withdrawal fees, once the balance passes your withdrawal threshold.
report-read-ranges = Ranges combine luck (which orders get refunded, how busy a day is) and what you do not know (values you gave as ranges). A narrow range only means little of either.
report-read-run-rate = The run rate is the average of the last six months: what the site earns once the pipeline is full.
report-html-footer = affcast { $version } · a Monte Carlo forecast, not a promise.

## Notes of reading and fitting an export (the command line prefixes them)
report-note-export-past-start = the export runs to { $as-of }, after the forecast's first month { $start }; orders paid since the start are counted both as pipeline and as new traffic
report-note-export-before-start = the export ends on { $as-of }, { $days } days before the forecast starts in { $start }; whatever its pending orders did in between is unknown, so they open the forecast as if the export were current. Use a fresher export, or start the forecast in { $next }
report-note-detected = read as { $kind ->
    [generic] a
   *[other] an
} { $source } export (detected from its fields{ $override })
report-note-paid-from-created = { $count ->
    [one] { $count } order
   *[other] { $count } orders
} without a paid_time: the created_time stands for it (payment follows within minutes)
report-note-returns = { $count ->
    [one] { $count } return netted against the shipment it matches
   *[other] { $count } returns netted against the shipment each matches
} (that shipment is a reversed order)
report-note-returns-unmatched = ; { $count ->
    [one] { $count } return
   *[other] { $count } returns
} of items shipped before the report ({ $fees } in ad fees) match no shipment here and are left out
report-note-merged = read { $rows } rows from { $files ->
    [one] { $files } file
   *[other] { $files } files
}: { $orders } orders; { $merged } rows were an order already read, merged with its latest status kept
report-note-untimed = { $count ->
    [one] { $count } reversed order
   *[other] { $count } reversed orders
} without a time (AliExpress gives none for "Invalid" orders): each was given a reversal time drawn from the lifecycle fitted on the whole export (a cancellation, a refund after delivery, or the cut-off for orders never confirmed, as often as the fit makes each), never after the export{ $confirmed }
report-note-untimed-confirmed = ; { $count ->
    [one] { $count } confirmed order
   *[other] { $count } confirmed orders
} without a time count as pending at every origin
report-fit-records = { $records } { $source } records in { $currency } from { $from } to { $to } ({ $months } months)
report-fit-few = only { $records } records: the estimates below are rough; a few hundred orders per category make them trustworthy
report-fit-delay = payment → confirmation (Kaplan–Meier, { $confirmed } confirmed, { $censored } censored): median { $km-median } d, p90 { $km-p90 }; the fitted model gives median { $median } d, p90 { $p90 } d (confirm_receipt_share { $share }, shipping median { $shipping } d)
report-fit-days = { $days } d
report-fit-unreached = not reached by the data
report-fit-delay-amazon = payment → confirmation: an earnings report lists items as they shipped (earned then), so there is no delay to fit; the scenario's timing is the generic rules' (see its comments)
report-fit-delay-few = payment → confirmation: too few confirmations ({ $confirmed } of { $records }) to estimate; left at the preset
report-fit-currency = the export is in { $currency }, the { $preset } preset's payout amounts (minimum_payout, withdraw_at, payout_fee) in USD: set them in { $currency } in the scenario
report-fit-category = category { $name }: { $orders } orders ({ $share }), order value median { $median } / p90 { $p90 }, rate { $rate }, reversal { $reversed } of { $known } with a known fate
report-fit-no-rate = not in export
report-fit-regions = regions by ship_to_country (a country with at least { $min } of the orders is its own): { $regions }
report-fit-thin-one = { $name } ({ $known } with a known fate)
report-fit-thin = thin estimates: the reversal rates of { $categories } lean on the defaults (a prior worth { $prior } orders); more orders will move them
report-fit-conversion = conversion_rate: { $how }
report-fit-conversion-estimated = estimated: { $records } orders / ({ $clicks } clicks × { $share } attributed share under the preset's cookie rules)
report-fit-conversion-assumed = ASSUMPTION (not estimated: give the clicks of the export's period); clicks_per_month is set so the forecast reproduces the export's orders per month
report-fit-left = left at the { $preset } preset: { $keys }
report-fit-left-clicks = purchase_delay_days, same_session_share, cookie_days, overwrite_rate (no click data in an order export)
report-fit-left-clicks-amazon = purchase_delay_days, same_session_share, overwrite_rate (no click data in an order export); cookie_days is Amazon's 24 hours
report-fit-left-timing = processing_days, confirm_delay_days, refund_delay_days, auto_confirm_days, invalid_after_days
report-fit-left-settlement = settlement and withdrawal rules
report-fit-left-settlement-amazon = the settlement (Amazon's ~60 days after the month's end cannot be said yet; see the scenario's comments); Amazon's US minimum and fee are written
report-fit-left-delay = confirm_receipt_share and shipping_days
report-fit-not-estimated = not estimated: { $what }
report-fit-no-rate-key = { $name }: commission_rate
report-fit-no-fate = { $name }: cancel_rate, refund_rate (no order with a known fate)

## Your orders so far (the order store of `affcast track`)
report-html-mydata = Your orders so far
report-mydata-sub = { $imports } downloads of { $network } orders in { $store }, statuses as of { $as-of }; money in { $currency }.
report-mydata-months = By payment month; confirmed and reversed by when they happened.
report-mydata-pipeline = In the pipeline now: { $pending-orders } pending orders ({ $pending } { $currency } of commission not yet confirmed) and { $unpaid-orders } confirmed orders not yet paid ({ $unpaid } { $currency }).
report-mydata-inferred = { $count } confirmations or reversals without a time in any export were timed by the downloads around them.
report-mydata-nowcast = Nowcast: the next { $months } months from the money in the pipeline and the scenario ({ $trials } simulated worlds, seed { $seed }); each cell the median, and below it the 10th–90th percentile range.
report-mydata-fva = How right the kept forecasts were: at each download the next 3 months were forecast; each month that has happened is scored here.
report-mydata-fva-none = No kept forecast can be scored yet: a month is scored once a later download shows it whole.
