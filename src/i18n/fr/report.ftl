# Les mots des rapports en français. Les nombres arrivent déjà formatés ; `$count`,
# `$origins` et `$horizon` sont des nombres, pour les formes du pluriel.

number-percent = { $n } %

## Le tableau mensuel
report-col-month = Mois
report-col-clicks = Clics
report-col-earned = Généré
report-col-confirmed = Confirmé
report-col-pending-end = En attente (fin)
report-col-unpaid-end = Non payé (fin)
report-col-cash = Argent
report-col-dead = Liens morts
report-legend = Les clics partent de traffic.clicks_per_month = { $clicks } (les clics attendus du premier mois, avant la saisonnalité, les événements et le bruit au jour le jour). En attente : généré, pas encore confirmé ni annulé. Non payé : confirmé mais pas encore à la banque (en attente du règlement, dans le solde ou en transit).
report-legend-dead = Liens morts : la part des clics du mois qui tombent sur une annonce disparue ([links], une hypothèse de votre part), avant les renouvellements des mois suivants.

## Le résumé
report-summary-figure = Chiffre
report-summary-mean = moyenne
report-summary-what = Ce que c'est
report-metric-total_clicks = clics, tous les mois
report-metric-total_earned = commission générée
report-metric-total_confirmed = confirmée
report-metric-total_reversed = annulations, remboursements
report-metric-total_cash = argent, net de frais
report-metric-total_fees = frais de retrait
report-metric-run_rate_confirmed = confirmé / mois*
report-metric-run_rate_cash = argent / mois*
report-metric-epc = confirmé / clic
report-metric-reversal_rate = part annulée
report-metric-first_cash_month = premier argent
report-run-rate-note = * moyenne des 6 derniers mois : le revenu mensuel une fois le flux rempli. Les totaux couvrent tout l'horizon.

## Répartitions
report-part-category = Catégorie
report-part-region = Région
report-part-clicks = Clics
report-part-orders = Commandes
report-part-earned = Généré
report-part-confirmed = Confirmé
report-part-reversed = Annulé
report-part-run_rate_confirmed = En régime*
report-part-epc = EPC

## Hypothèses
report-assumption-range = 90 % entre { $low } et { $high }
report-assumption-spread = médiane { $median }, p90 { $p90 }
report-assumption-method = à partir de { $minimum }, frais { $fee }, { $days ->
    [one] { $days } jour
   *[other] { $days } jours
} jusqu'à la banque
report-assumption-method-percent = { $fee } + { $percent } %
report-assumption-method-cap = { $fee } (au plus { $cap })
report-origin-file = fichier
report-origin-preset = préréglage { $preset }
report-origin-default = par défaut
report-origin-one-region = par défaut (une seule région mondiale)
report-origin-same-as = par défaut (= { $key })
report-origin-country = par défaut pour { $code } (protection de l'acheteur)

## Notes sous les chiffres
report-opening = Flux de départ tiré de l'export du { $date } : { $pending-orders } commandes en attente ({ $pending } { $currency } de commission pas encore confirmée) et { $unsettled-orders } commandes confirmées pas encore réglées ({ $unsettled } { $currency }) ; { $skipped } commandes déjà réglées ou annulées de l'export ne font pas partie de la prévision.
report-months = { $count ->
    [one] { $count } mois
   *[other] { $count } mois
}
report-note-nothing-confirmed = Aucune commission n'est confirmée en { $horizon } dans aucune simulation : rien n'atteint le solde (pas de clics, pas de conversion, toutes les commandes annulées, ou la confirmation prend plus longtemps que l'horizon).
report-note-no-cash = Aucun argent n'arrive à la banque en { $horizon } dans aucune simulation. À la fin, le solde payable est de { $balance } { $currency } (médiane), avec { $unsettled } { $currency } confirmés mais pas encore réglés, sous le seuil de retrait de { $threshold } { $currency } : le solde grandit jusqu'à l'atteindre. Baissez withdraw_at ou prévoyez plus de mois.
report-note-some-no-cash = { $without } simulations sur { $trials } n'ont eu aucun argent à la banque en { $horizon } ; first_cash_month (sa moyenne et ses percentiles) ne compte que les autres.

## Conseil de retrait
report-advice-heading = Conseil de retrait (frais par retrait : { $fee } { $currency }{ $percent } ; moyennes des simulations)
report-advice-col-threshold = withdraw_at
report-advice-col-withdrawals = retraits
report-advice-col-fees = frais
report-advice-col-fee-share = frais / argent
report-advice-col-cash = argent
report-advice-col-days = jours confirmé → banque
report-advice-quickest = withdraw_at = { $threshold } : le seuil le plus rapide dont les frais restent sous { $limit } de l'argent (frais de { $share }, { $days } jours de la confirmation à la banque en moyenne)
report-advice-cheapest = aucun seuil ne garde les frais sous { $limit } de l'argent dans l'horizon ; withdraw_at = { $threshold } coûte le moins ({ $share } de frais)
report-advice-none = aucun retrait n'arrive à la banque dans l'horizon, quel que soit le seuil
report-advice = Conseil : { $reason }. (* = le seuil de ce scénario)

## Conseil de renouvellement
report-refresh-heading = Conseil de renouvellement (liens morts ; coût par renouvellement : { $cost } { $currency } ; moyennes des mêmes simulations)
report-refresh-col-cadence = renouveler
report-refresh-col-refreshes = renouvellements
report-refresh-col-cash = argent
report-refresh-col-run-rate = argent / mois (en régime)
report-refresh-col-net = net du coût de renouvellement
report-cadence-never = jamais
report-cadence-monthly = chaque mois
report-cadence-months = tous les { $months } mois
report-refreshes = { $count ->
    [one] { $count } renouvellement
   *[other] { $count } renouvellements
}
report-refresh-no-difference = toutes les fréquences rapportent le même argent : dans ce scénario les liens morts ne coûtent rien (aucun lien ne meurt, ou un clic sur un lien mort convertit comme sur un lien vivant), donc renouveler ne vaut pas une minute
report-refresh-pays = renouveler { $cadence } ({ $refreshes } dans l'horizon) : { $more } { $currency } d'argent de plus que ne jamais renouveler ({ $best } contre { $never }), et { $net } { $currency } de plus après { $cost } { $currency } par renouvellement, le mieux de toutes les fréquences
report-refresh-costs = ne renouvelez pas : la meilleure fréquence pour l'argent ({ $cadence }) rapporte { $more } { $currency } de plus que ne jamais renouveler, moins que le coût de ses { $refreshes } à { $cost } { $currency } chacun
report-refresh-advice = Conseil : { $reason }. (* = le refresh_every_months de ce scénario)

## Comparaisons
report-objective-cash = argent à la banque
report-objective-confirmed = commission confirmée
report-per-month = par mois
report-per-horizon = sur tout l'horizon
report-worlds-almost-all = plus de { $percent }
report-worlds-few = moins de { $percent }
report-verdict-spread = L'écart n'est pas le même dans tous les mondes simulés : dans 8 sur 10 il se situe entre { $low } et { $high }, et { $name } passe devant dans { $ahead } d'entre eux.
report-verdict-noise-se = ± { $noise } est le bruit propre de la simulation après { $trials } simulations, pas une fourchette de résultats
report-verdict-identical = identique à { $base } dans tous les mondes simulés ({ $objective } est le même dans les { $trials } simulations).
report-verdict-more = { $amount }{ $per } de plus en { $what } que { $base } en moyenne ({ $noise }).
report-verdict-less = { $amount }{ $per } de moins en { $what } que { $base } en moyenne ({ $noise }).
report-verdict-noise = aucun écart en { $what }{ $per } par rapport à { $base } que la simulation puisse distinguer de son propre bruit ({ $amount } en moyenne, { $noise }){ $settle }.
report-verdict-settle = ; environ { $trials } simulations les départageraient

## L'historique (backtest)
report-track-heading = Backtest de { $scenario } — { $origins } origines, { $horizon } mois à l'avance, { $trials } simulations chacune, graine { $seed } (argent en { $currency })
report-track-over = Sur { $origins ->
    [one] { $origins } origine
   *[other] { $origins } origines
} avec { $horizon ->
    [one] { $horizon } mois
   *[other] { $horizon } mois
} à l'avance chacune :
report-track-none = aucun mois de { $metric } à noter
report-track-coverage = la bande à 80 % a contenu { $covered } mois sur { $points } de { $what } ({ $percent }) : { $verdict }
report-track-skill-lower = Face à la répétition du dernier mois complet, la perte par quantiles de la prévision sur l'argent confirmé était { $percent } plus faible (skill { $skill }).
report-track-skill-higher = Face à la répétition du dernier mois complet, la perte par quantiles de la prévision sur l'argent confirmé était { $percent } plus forte (skill { $skill }).
report-track-few = Avec si peu de mois, l'erreur binomiale est trop grande pour dire si les bandes sont justes ou fausses : donnez un export plus long, ou plus d'origines.
report-track-good = Les bandes ont été honnêtes sur le passé de ce site : une bande à 80 % peut se lire comme 8 mois sur 10.
report-track-bad = Les bandes n'étaient pas calibrées sur le passé de ce site : lisez-les avec prudence, et regardez plus bas quels mois sont sortis.
report-track-overlap = (Les mois notés depuis des origines qui se chevauchent ne sont pas indépendants, donc les décomptes sont moins sûrs qu'ils n'en ont l'air.)
report-track-too-few = trop peu de points pour le dire
report-track-calibrated = calibré
report-track-too-narrow = bandes trop étroites : les mois ont varié plus que la prévision ne le permettait
report-track-too-wide = bandes trop larges : les mois ont varié moins que la prévision ne le permettait
report-track-biased-low = biais à la baisse : les mois réels sont arrivés au-dessus de la plupart des mois simulés
report-track-biased-high = biais à la hausse : les mois réels sont arrivés en dessous de la plupart des mois simulés
report-scored-orders = commandes
report-scored-earned = commission générée
report-scored-confirmed = commission confirmée
report-score-col-metric = mesure
report-score-col-months = mois
report-score-col-covered = dans la bande à 80 %
report-score-col-coverage = couverture
report-score-col-pinball = perte pinball
report-score-col-naive = perte naïve
report-score-col-skill = skill
report-score-col-verdict = verdict

## Graphiques
report-chart-money = { $scenario } : argent par mois
report-chart-month = Mois
report-chart-money-axis = { $currency } (flux par mois ; en attente : solde en fin de mois)
report-chart-band = argent p10–p90
report-chart-cash-median = argent, médiane
report-chart-confirmed-median = confirmé, médiane
report-chart-pending-median = solde en attente, médiane
report-chart-cash-mean = argent, moyenne
report-chart-dead-axis = clics sur liens morts (médiane)
report-chart-dead = liens morts, part des clics (axe de droite)
report-chart-first-withdrawal = premier retrait ({ $month })
report-chart-per-variant = { $objective } par variante
report-chart-median-axis = { $currency } (p10–p90, médiane)
report-chart-difference = écart par rapport à { $base } (apparié)
report-chart-mean-axis = { $currency } (p10–p90, moyenne)
report-chart-backtest = { $scenario } : la prévision face à ce qui s'est passé
report-chart-backtest-band = prévision p10–p90, chaque origine
report-chart-backtest-median = prévision, médiane
report-chart-actual = réel

## Le rapport HTML
report-html-title = { $scenario } — rapport affcast
report-html-sub = Ce que ce site d'affiliation touchera vraiment, et quand : { $trials } mondes simulés (graine { $seed }), { $months } mois à partir de { $start }, argent en { $currency }.
report-html-cards = Chiffres clés
report-card-run-rate-confirmed = Revenu mensuel confirmé (en régime)
report-card-run-rate-cash = Argent à la banque par mois (en régime)
report-card-epc = Gain par clic (EPC)
report-card-reversal = Taux d'annulation
report-card-first-cash = Premier argent à la banque
report-card-fees = Frais de retrait, tout l'horizon
report-card-range = 10–90 % : { $low } à { $high }{ $unit }
report-card-per-month = par mois
report-card-per-click = par clic
report-card-resolved = de la commission résolue
report-card-none = pas dans l'horizon
report-html-money = Argent par mois
report-html-fan-note = La bande est là où l'argent tombe dans 8 mondes simulés sur 10 ; la ligne est le monde médian, la ligne pointillée la moyenne.
report-html-monthly = Chiffres mensuels
report-html-cells = Chaque case : la médiane et, en dessous, la fourchette du 10e au 90e percentile.
report-html-summary = Résumé
report-html-by-category = Revenu par catégorie
report-html-by-region = Par région
report-html-parts-note = Chaque case : la médiane et, en dessous, la fourchette du 10e au 90e percentile. Les parties s'additionnent pour donner les totaux dans chaque monde simulé.
report-html-advice = Conseil de retrait
report-html-refresh = Conseil de renouvellement
report-html-mixes = Mélanges de catégories
report-html-mixes-note = Chaque mélange parcourt les mêmes { $trials } mondes simulés ; jugé sur { $what }{ $per }. Fourchettes : 8 mondes sur 10.
report-mix-col-mix = Mélange
report-mix-col-shares = Part des clics
report-mix-col-difference = Écart par rapport à { $base }
report-mix-col-ahead = Devant { $base } dans
report-mix-of-worlds = { $percent } des mondes
report-html-track = Historique de justesse
report-html-track-note = À chaque origine, l'export a été coupé à ce qu'on savait alors, ajusté et prévu avec les clics que les mois suivants ont vraiment eus ; la ligne noire est ce qui s'est passé.
report-html-assumptions = Hypothèses
report-html-assumptions-note = Chaque paramètre en vigueur après le préréglage, et d'où vient sa valeur. Les valeurs écrites comme une fourchette à 90 % sont tirées une fois par monde simulé.
report-assumption-col-key = Paramètre
report-assumption-col-value = Valeur
report-assumption-col-from = Origine
report-html-read = Comment lire ceci
report-read-pending = <b>En attente</b> : commission des commandes payées via vos liens. C'est une estimation jusqu'à ce que l'acheteur confirme la réception, ou que la protection de l'acheteur prenne fin.
report-read-confirmed = <b>Confirmé</b> : commission qui sera payée. <b>Annulé</b> : perdu par une annulation, un remboursement ou une commande annulée après 180 jours sans confirmation.
report-read-payable = <b>Payable</b> : argent confirmé crédité sur votre solde au règlement (chaque mois vers le 25 sur Portals, en quelques jours sur les réseaux).
report-read-cash = <b>Argent</b> : ce qui arrive à votre banque après les frais de retrait, une fois que le solde dépasse votre seuil de retrait.
report-read-ranges = Les fourchettes combinent la chance (quelles commandes sont remboursées, l'activité d'une journée) et ce que vous ne savez pas (les valeurs données comme fourchettes). Une fourchette étroite veut seulement dire peu des deux.
report-read-run-rate = Le régime est la moyenne des six derniers mois : ce que le site gagne une fois le flux rempli.
report-html-footer = affcast { $version } · une prévision Monte Carlo, pas une promesse.

## Notes de la lecture et de l'ajustement d'un export
report-note-export-past-start = l'export va jusqu'au { $as-of }, après le premier mois de la prévision, { $start } ; les commandes payées depuis le début comptent à la fois dans le flux de départ et comme trafic nouveau
report-note-export-before-start = l'export se termine le { $as-of }, { $days } jours avant le début de la prévision en { $start } ; ce que ses commandes en attente ont fait entre-temps est inconnu, donc elles ouvrent la prévision comme si l'export était à jour. Utilisez un export plus récent, ou commencez la prévision en { $next }
report-note-detected = lu comme un export { $source } (reconnu à ses champs{ $override })
report-note-paid-from-created = { $count ->
    [one] { $count } commande
   *[other] { $count } commandes
} sans paid_time : le created_time en tient lieu (le paiement suit en quelques minutes)
report-note-returns = { $count ->
    [one] { $count } retour déduit de l'expédition qui lui correspond
   *[other] { $count } retours déduits chacun de l'expédition qui lui correspond
} (cette expédition est une commande annulée)
report-note-returns-unmatched = ; { $count ->
    [one] { $count } retour
   *[other] { $count } retours
} d'articles expédiés avant le rapport ({ $fees } de frais publicitaires) ne correspondent à aucune expédition ici et sont écartés
report-note-merged = { $rows } lignes lues dans { $files ->
    [one] { $files } fichier
   *[other] { $files } fichiers
} : { $orders } commandes ; { $merged } lignes étaient une commande déjà lue, fusionnée en gardant son dernier statut
report-note-untimed = { $count ->
    [one] { $count } commande annulée
   *[other] { $count } commandes annulées
} sans date (AliExpress n'en donne aucune pour les commandes « Invalid ») : chacune a reçu une date d'annulation tirée du cycle de vie ajusté sur tout l'export (une annulation, un remboursement après livraison, ou l'échéance des commandes jamais confirmées, aussi souvent que l'ajustement les produit), jamais après l'export{ $confirmed }
report-note-untimed-confirmed = ; { $count ->
    [one] { $count } commande confirmée
   *[other] { $count } commandes confirmées
} sans date comptent comme en attente à chaque origine
report-fit-records = { $records } enregistrements { $source } en { $currency } du { $from } au { $to } ({ $months } mois)
report-fit-few = seulement { $records } enregistrements : les estimations ci-dessous sont grossières ; quelques centaines de commandes par catégorie les rendent fiables
report-fit-delay = paiement → confirmation (Kaplan–Meier, { $confirmed } confirmées, { $censored } censurées) : médiane { $km-median } j, p90 { $km-p90 } ; le modèle ajusté donne une médiane de { $median } j, p90 { $p90 } j (confirm_receipt_share { $share }, médiane de livraison { $shipping } j)
report-fit-days = { $days } j
report-fit-unreached = pas atteint par les données
report-fit-delay-amazon = paiement → confirmation : un rapport de gains liste les articles à leur expédition (gagnés à ce moment), il n'y a donc pas de délai à ajuster ; le calendrier du scénario est celui des règles génériques (voir ses commentaires)
report-fit-delay-few = paiement → confirmation : trop peu de confirmations ({ $confirmed } sur { $records }) pour estimer ; laissé au préréglage
report-fit-currency = l'export est en { $currency }, les montants de paiement du préréglage { $preset } (minimum_payout, withdraw_at, payout_fee) en USD : indiquez-les en { $currency } dans le scénario
report-fit-category = catégorie { $name } : { $orders } commandes ({ $share }), valeur de commande médiane { $median } / p90 { $p90 }, taux { $rate }, annulation { $reversed } sur { $known } au sort connu
report-fit-no-rate = absent de l'export
report-fit-regions = régions par ship_to_country (un pays avec au moins { $min } des commandes forme sa propre région) : { $regions }
report-fit-thin-one = { $name } ({ $known } au sort connu)
report-fit-thin = estimations fragiles : les taux d'annulation de { $categories } s'appuient sur les valeurs par défaut (un a priori qui vaut { $prior } commandes) ; plus de commandes les feront bouger
report-fit-conversion = conversion_rate : { $how }
report-fit-conversion-estimated = estimé : { $records } commandes / ({ $clicks } clics × { $share } de part attribuée selon les règles de cookie du préréglage)
report-fit-conversion-assumed = HYPOTHÈSE (non estimé : donnez les clics de la période de l'export) ; clicks_per_month est fixé pour que la prévision reproduise les commandes par mois de l'export
report-fit-left = laissé au préréglage { $preset } : { $keys }
report-fit-left-clicks = purchase_delay_days, same_session_share, cookie_days, overwrite_rate (un export de commandes ne contient pas de données de clics)
report-fit-left-clicks-amazon = purchase_delay_days, same_session_share, overwrite_rate (un export de commandes ne contient pas de données de clics) ; cookie_days vaut les 24 heures d'Amazon
report-fit-left-timing = processing_days, confirm_delay_days, refund_delay_days, auto_confirm_days, invalid_after_days
report-fit-left-settlement = règles de règlement et de retrait
report-fit-left-settlement-amazon = le règlement (les ~60 jours après la fin du mois d'Amazon ne peuvent pas encore s'exprimer ; voir les commentaires du scénario) ; le minimum et les frais d'Amazon aux États-Unis sont écrits
report-fit-left-delay = confirm_receipt_share et shipping_days
report-fit-not-estimated = non estimé : { $what }
report-fit-no-rate-key = { $name } : commission_rate
report-fit-no-fate = { $name } : cancel_rate, refund_rate (aucune commande au sort connu)

## Vos commandes jusqu'ici (le magasin de commandes d'`affcast track`)
report-html-mydata = Vos commandes jusqu'ici
report-mydata-sub = { $imports } téléchargements de commandes { $network } dans { $store }, statuts au { $as-of } ; argent en { $currency }.
report-mydata-months = Par mois de paiement ; confirmé et annulé selon le mois où c'est arrivé.
report-mydata-pipeline = Dans le flux maintenant : { $pending-orders } commandes en attente ({ $pending } { $currency } de commission pas encore confirmée) et { $unpaid-orders } commandes confirmées pas encore payées ({ $unpaid } { $currency }).
report-mydata-inferred = { $count } confirmations ou annulations sans date dans aucun export ont été datées par les téléchargements qui les entourent.
report-mydata-nowcast = Prévision immédiate : les { $months } prochains mois à partir de l'argent dans le flux et du scénario ({ $trials } mondes simulés, graine { $seed }) ; chaque case la médiane et, en dessous, la fourchette du 10e au 90e percentile.
report-mydata-fva = Justesse des prévisions gardées : à chaque téléchargement, les 3 mois suivants ont été prévus ; chaque mois passé est noté ici.
report-mydata-fva-none = Aucune prévision gardée ne peut encore être notée : un mois est noté quand un téléchargement ultérieur le montre en entier.
