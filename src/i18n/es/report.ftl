# Las palabras de los informes en español. Los números llegan ya formateados; `$count`,
# `$origins` y `$horizon` son números, para las formas del plural.

number-percent = { $n } %

## La tabla mensual
report-col-month = Mes
report-col-clicks = Clics
report-col-earned = Generado
report-col-confirmed = Confirmado
report-col-pending-end = Pendiente (final)
report-col-unpaid-end = Sin cobrar (final)
report-col-cash = Dinero
report-col-dead = Enlaces muertos
report-legend = Los clics parten de traffic.clicks_per_month = { $clicks } (los clics esperados del primer mes, antes de la estacionalidad, los eventos y el ruido del día a día). Pendiente: generado, aún no confirmado ni anulado. Sin cobrar: confirmado pero aún no en el banco (esperando la liquidación, en el saldo o en tránsito).
report-legend-dead = Enlaces muertos: la parte de los clics del mes que llega a un anuncio que ya no existe ([links], una suposición tuya), antes de las renovaciones de los meses siguientes.

## El resumen
report-summary-figure = Cifra
report-summary-mean = media
report-summary-what = Qué es
report-metric-total_clicks = clics, todos los meses
report-metric-total_earned = comisión generada
report-metric-total_confirmed = confirmada
report-metric-total_reversed = cancelaciones, reembolsos
report-metric-total_cash = dinero, sin comisiones
report-metric-total_fees = comisiones de retirada
report-metric-run_rate_confirmed = confirmado / mes*
report-metric-run_rate_cash = dinero / mes*
report-metric-epc = confirmado / clic
report-metric-reversal_rate = parte anulada
report-metric-first_cash_month = primer dinero
report-run-rate-note = * media de los últimos 6 meses: el ingreso mensual cuando el flujo ya está lleno. Los totales abarcan todo el horizonte.

## Desgloses
report-part-category = Categoría
report-part-region = Región
report-part-clicks = Clics
report-part-orders = Pedidos
report-part-earned = Generado
report-part-confirmed = Confirmado
report-part-reversed = Anulado
report-part-run_rate_confirmed = En régimen*
report-part-epc = EPC

## Supuestos
report-assumption-range = 90 % entre { $low } y { $high }
report-assumption-spread = mediana { $median }, p90 { $p90 }
report-assumption-method = desde { $minimum }, comisión { $fee }, { $days ->
    [one] { $days } día
   *[other] { $days } días
} hasta el banco
report-assumption-method-percent = { $fee } + { $percent }%
report-assumption-method-cap = { $fee } (como máximo { $cap })
report-origin-file = archivo
report-origin-preset = preajuste { $preset }
report-origin-default = por defecto
report-origin-one-region = por defecto (una sola región global)
report-origin-same-as = por defecto (= { $key })
report-origin-country = por defecto para { $code } (protección al comprador)

## Notas bajo las cifras
report-opening = Flujo inicial de la exportación del { $date }: { $pending-orders } pedidos pendientes ({ $pending } { $currency } de comisión aún no confirmada) y { $unsettled-orders } pedidos confirmados aún no liquidados ({ $unsettled } { $currency }); { $skipped } pedidos ya liquidados o anulados de la exportación no entran en la previsión.
report-months = { $count ->
    [one] { $count } mes
   *[other] { $count } meses
}
report-note-nothing-confirmed = No se confirma ninguna comisión en { $horizon } en ninguna simulación: nada llega al saldo (sin clics, sin conversión, todos los pedidos anulados, o la confirmación tarda más que el horizonte).
report-note-no-cash = No llega dinero al banco en { $horizon } en ninguna simulación. Al final el saldo por cobrar es de { $balance } { $currency } (mediana), con { $unsettled } { $currency } confirmados pero aún no liquidados, por debajo del umbral de retirada de { $threshold } { $currency }: el saldo crece hasta llegar a él. Baja withdraw_at o prevé más meses.
report-note-some-no-cash = { $without } de { $trials } simulaciones no tuvieron dinero en el banco en { $horizon }; first_cash_month (su media y sus percentiles) cuenta solo las demás.

## Consejo de retirada
report-advice-heading = Consejo de retirada (comisión por retirada: { $fee } { $currency }{ $percent }; medias de las simulaciones)
report-advice-col-threshold = withdraw_at
report-advice-col-withdrawals = retiradas
report-advice-col-fees = comisiones
report-advice-col-fee-share = comisiones / dinero
report-advice-col-cash = dinero
report-advice-col-days = días confirmado → banco
report-advice-quickest = withdraw_at = { $threshold }: el umbral más rápido cuyas comisiones quedan por debajo del { $limit } del dinero (comisiones del { $share }, { $days } días de la confirmación al banco de media)
report-advice-cheapest = ningún umbral mantiene las comisiones por debajo del { $limit } del dinero dentro del horizonte; withdraw_at = { $threshold } cuesta menos ({ $share } en comisiones)
report-advice-none = ninguna retirada llega al banco dentro del horizonte con ninguno de estos umbrales
report-advice = Consejo: { $reason }. (* = el umbral de este escenario)

## Consejo de renovación
report-refresh-heading = Consejo de renovación (enlaces muertos; coste por renovación: { $cost } { $currency }; medias de las mismas simulaciones)
report-refresh-col-cadence = renovar
report-refresh-col-refreshes = renovaciones
report-refresh-col-cash = dinero
report-refresh-col-run-rate = dinero / mes (en régimen)
report-refresh-col-net = neto del coste de renovar
report-cadence-never = nunca
report-cadence-monthly = cada mes
report-cadence-months = cada { $months } meses
report-refreshes = { $count ->
    [one] { $count } renovación
   *[other] { $count } renovaciones
}
report-refresh-no-difference = todas las frecuencias traen el mismo dinero: en este escenario los enlaces muertos no cuestan nada (ningún enlace muere, o un clic en un enlace muerto convierte como en uno vivo), así que renovar no vale nada de tiempo
report-refresh-pays = renovar { $cadence } ({ $refreshes } en el horizonte): { $more } { $currency } más de dinero que no renovar nunca ({ $best } frente a { $never }), y { $net } { $currency } más después de { $cost } { $currency } por renovación, lo máximo de todas las frecuencias
report-refresh-costs = no renueves: la mejor frecuencia para el dinero ({ $cadence }) trae { $more } { $currency } más que no renovar nunca, menos que el coste de sus { $refreshes } a { $cost } { $currency } cada una
report-refresh-advice = Consejo: { $reason }. (* = el refresh_every_months de este escenario)

## Comparaciones
report-objective-cash = dinero en el banco
report-objective-confirmed = comisión confirmada
report-per-month = al mes
report-per-horizon = en todo el horizonte
report-worlds-almost-all = más del { $percent }
report-worlds-few = menos del { $percent }
report-verdict-spread = La diferencia no es la misma en todos los mundos simulados: en 8 de cada 10 queda entre { $low } y { $high }, y { $name } sale por delante en el { $ahead } de ellos.
report-verdict-noise-se = ± { $noise } es el ruido propio de la simulación tras { $trials } simulaciones, no un rango de resultados
report-verdict-identical = idéntico a { $base } en todos los mundos simulados ({ $objective } es el mismo en las { $trials } simulaciones).
report-verdict-more = { $amount }{ $per } más de { $what } que { $base } de media ({ $noise }).
report-verdict-less = { $amount }{ $per } menos de { $what } que { $base } de media ({ $noise }).
report-verdict-noise = ninguna diferencia en { $what }{ $per } respecto a { $base } que la simulación pueda separar de su propio ruido ({ $amount } de media, { $noise }){ $settle }.
report-verdict-settle = ; unas { $trials } simulaciones los distinguirían

## El historial (backtest)
report-track-heading = Backtest de { $scenario } — { $origins } orígenes, { $horizon } meses por delante, { $trials } simulaciones cada uno, semilla { $seed } (dinero en { $currency })
report-track-over = En { $origins ->
    [one] { $origins } origen
   *[other] { $origins } orígenes
} con { $horizon ->
    [one] { $horizon } mes
   *[other] { $horizon } meses
} por delante cada uno:
report-track-none = ningún mes de { $metric } que puntuar
report-track-coverage = la banda del 80 % contuvo { $covered } de { $points } meses de { $what } ({ $percent }): { $verdict }
report-track-skill-lower = Frente a repetir el último mes completo, la pérdida por cuantiles de la previsión sobre el dinero confirmado fue un { $percent } menor (skill { $skill }).
report-track-skill-higher = Frente a repetir el último mes completo, la pérdida por cuantiles de la previsión sobre el dinero confirmado fue un { $percent } mayor (skill { $skill }).
report-track-few = Con tan pocos meses el error binomial es demasiado grande para decir si las bandas aciertan o fallan: usa una exportación más larga, o más orígenes.
report-track-good = Las bandas fueron honestas con el pasado de este sitio: una banda del 80 % puede leerse como 8 meses de cada 10.
report-track-bad = Las bandas no estuvieron calibradas en el pasado de este sitio: léelas con cuidado y mira abajo qué meses quedaron fuera.
report-track-overlap = (Los meses puntuados desde orígenes que se solapan no son independientes, así que los recuentos son menos seguros de lo que parecen.)
report-track-too-few = demasiados pocos puntos para decirlo
report-track-calibrated = calibrado
report-track-too-narrow = bandas demasiado estrechas: los meses variaron más de lo que la previsión permitía
report-track-too-wide = bandas demasiado anchas: los meses variaron menos de lo que la previsión permitía
report-track-biased-low = sesgo a la baja: los meses reales quedaron por encima de la mayoría de los simulados
report-track-biased-high = sesgo al alza: los meses reales quedaron por debajo de la mayoría de los simulados
report-scored-orders = pedidos
report-scored-earned = comisión generada
report-scored-confirmed = comisión confirmada
report-score-col-metric = métrica
report-score-col-months = meses
report-score-col-covered = en la banda del 80 %
report-score-col-coverage = cobertura
report-score-col-pinball = pérdida pinball
report-score-col-naive = pérdida ingenua
report-score-col-skill = skill
report-score-col-verdict = veredicto

## Gráficos
report-chart-money = { $scenario }: dinero por mes
report-chart-month = Mes
report-chart-money-axis = { $currency } (flujos por mes; pendiente: saldo a fin de mes)
report-chart-band = dinero p10–p90
report-chart-cash-median = dinero, mediana
report-chart-confirmed-median = confirmado, mediana
report-chart-pending-median = saldo pendiente, mediana
report-chart-cash-mean = dinero, media
report-chart-dead-axis = clics en enlaces muertos (mediana)
report-chart-dead = enlaces muertos, parte de los clics (eje derecho)
report-chart-first-withdrawal = primera retirada ({ $month })
report-chart-per-variant = { $objective } por variante
report-chart-median-axis = { $currency } (p10–p90, mediana)
report-chart-difference = diferencia respecto a { $base } (emparejada)
report-chart-mean-axis = { $currency } (p10–p90, media)
report-chart-backtest = { $scenario }: la previsión frente a lo que pasó
report-chart-backtest-band = previsión p10–p90, cada origen
report-chart-backtest-median = previsión, mediana
report-chart-actual = real

## El informe HTML
report-html-title = { $scenario } — informe de affcast
report-html-sub = Lo que este sitio de afiliados cobrará de verdad, y cuándo: { $trials } mundos simulados (semilla { $seed }), { $months } meses desde { $start }, dinero en { $currency }.
report-html-cards = Cifras principales
report-card-run-rate-confirmed = Ingreso mensual confirmado (en régimen)
report-card-run-rate-cash = Dinero en el banco al mes (en régimen)
report-card-epc = Ganancia por clic (EPC)
report-card-reversal = Tasa de anulación
report-card-first-cash = Primer dinero en el banco
report-card-fees = Comisiones de retirada, todo el horizonte
report-card-range = 10–90 %: { $low } a { $high }{ $unit }
report-card-per-month = al mes
report-card-per-click = por clic
report-card-resolved = de la comisión resuelta
report-card-none = no dentro del horizonte
report-html-money = Dinero por mes
report-html-fan-note = La banda es donde cae el dinero en 8 de cada 10 mundos simulados; la línea es el mundo mediano, la línea discontinua la media.
report-html-monthly = Cifras mensuales
report-html-cells = Cada celda: la mediana y, debajo, el rango del percentil 10 al 90.
report-html-summary = Resumen
report-html-by-category = Ingresos por categoría
report-html-by-region = Por región
report-html-parts-note = Cada celda: la mediana y, debajo, el rango del percentil 10 al 90. Las partes suman los totales en cada mundo simulado.
report-html-advice = Consejo de retirada
report-html-refresh = Consejo de renovación
report-html-mixes = Combinaciones de categorías
report-html-mixes-note = Cada combinación usa los mismos { $trials } mundos simulados; juzgada por { $what }{ $per }. Rangos: 8 de cada 10 mundos.
report-mix-col-mix = Combinación
report-mix-col-shares = Parte de los clics
report-mix-col-difference = Diferencia respecto a { $base }
report-mix-col-ahead = Por delante de { $base } en
report-mix-of-worlds = el { $percent } de los mundos
report-html-track = Historial de aciertos
report-html-track-note = En cada origen la exportación se cortó a lo que se sabía entonces, se ajustó y se previó con los clics que los meses siguientes tuvieron de verdad; la línea negra es lo que pasó.
report-html-assumptions = Supuestos
report-html-assumptions-note = Cada parámetro vigente tras el preajuste, y de dónde vino su valor. Los valores escritos como rango del 90 % se sortean una vez por mundo simulado.
report-assumption-col-key = Parámetro
report-assumption-col-value = Valor
report-assumption-col-from = Origen
report-html-read = Cómo leer esto
report-read-pending = <b>Pendiente</b>: comisión de pedidos pagados a través de tus enlaces. Es una estimación hasta que el comprador confirma la recepción, o termina la protección al comprador.
report-read-confirmed = <b>Confirmado</b>: comisión que se pagará. <b>Anulado</b>: perdido por una cancelación, un reembolso o un pedido anulado tras 180 días sin confirmación.
report-read-payable = <b>Por cobrar</b>: dinero confirmado abonado en tu saldo en la liquidación (cada mes hacia el día 25 en Portals, en pocos días en las redes).
report-read-cash = <b>Dinero</b>: lo que llega a tu banco después de las comisiones de retirada, cuando el saldo supera tu umbral de retirada.
report-read-ranges = Los rangos combinan la suerte (qué pedidos se reembolsan, cuánto movimiento tiene un día) y lo que no sabes (valores que diste como rangos). Un rango estrecho solo significa poco de ambos.
report-read-run-rate = El valor en régimen es la media de los últimos seis meses: lo que gana el sitio cuando el flujo está lleno.
report-html-footer = affcast { $version } · una previsión de Monte Carlo, no una promesa.

## Notas de la lectura y el ajuste de una exportación
report-note-export-past-start = la exportación llega hasta { $as-of }, después del primer mes de la previsión, { $start }; los pedidos pagados desde el inicio cuentan a la vez en el flujo inicial y como tráfico nuevo
report-note-export-before-start = la exportación termina el { $as-of }, { $days } días antes de que empiece la previsión en { $start }; lo que hicieron sus pedidos pendientes entretanto se desconoce, así que abren la previsión como si la exportación fuera actual. Usa una exportación más reciente, o empieza la previsión en { $next }
report-note-detected = leída como exportación de { $source } (reconocida por sus campos{ $override })
report-note-paid-from-created = { $count ->
    [one] { $count } pedido
   *[other] { $count } pedidos
} sin paid_time: el created_time hace sus veces (el pago llega en minutos)
report-note-returns = { $count ->
    [one] { $count } devolución descontada del envío al que corresponde
   *[other] { $count } devoluciones descontadas del envío al que corresponde cada una
} (ese envío es un pedido anulado)
report-note-returns-unmatched = ; { $count ->
    [one] { $count } devolución
   *[other] { $count } devoluciones
} de artículos enviados antes del informe ({ $fees } en comisiones publicitarias) no corresponden a ningún envío de aquí y quedan fuera
report-note-merged = { $rows } filas leídas de { $files ->
    [one] { $files } archivo
   *[other] { $files } archivos
}: { $orders } pedidos; { $merged } filas eran un pedido ya leído, unido a él conservando su estado más reciente
report-note-untimed = { $count ->
    [one] { $count } pedido anulado
   *[other] { $count } pedidos anulados
} sin fecha (AliExpress no da ninguna para los pedidos "Invalid"): a cada uno se le dio una fecha de anulación sorteada del ciclo de vida ajustado en toda la exportación (una cancelación, un reembolso tras la entrega, o el plazo de los pedidos nunca confirmados, tan a menudo como el ajuste los hace), nunca después de la exportación{ $confirmed }
report-note-untimed-confirmed = ; { $count ->
    [one] { $count } pedido confirmado
   *[other] { $count } pedidos confirmados
} sin fecha cuentan como pendientes en cada origen
report-fit-records = { $records } registros de { $source } en { $currency } del { $from } al { $to } ({ $months } meses)
report-fit-few = solo { $records } registros: las estimaciones de abajo son aproximadas; unos cientos de pedidos por categoría las hacen fiables
report-fit-delay = pago → confirmación (Kaplan–Meier, { $confirmed } confirmados, { $censored } censurados): mediana { $km-median } d, p90 { $km-p90 }; el modelo ajustado da mediana { $median } d, p90 { $p90 } d (confirm_receipt_share { $share }, mediana de envío { $shipping } d)
report-fit-days = { $days } d
report-fit-unreached = no alcanzado por los datos
report-fit-delay-amazon = pago → confirmación: un informe de ganancias lista los artículos cuando se enviaron (ganados entonces), así que no hay demora que ajustar; el calendario del escenario es el de las reglas genéricas (mira sus comentarios)
report-fit-delay-few = pago → confirmación: demasiadas pocas confirmaciones ({ $confirmed } de { $records }) para estimar; se queda el del preajuste
report-fit-currency = la exportación está en { $currency }, los importes de pago del preajuste { $preset } (minimum_payout, withdraw_at, payout_fee) en USD: ponlos en { $currency } en el escenario
report-fit-category = categoría { $name }: { $orders } pedidos ({ $share }), valor del pedido mediana { $median } / p90 { $p90 }, tasa { $rate }, anulación { $reversed } de { $known } con destino conocido
report-fit-no-rate = no está en la exportación
report-fit-regions = regiones por ship_to_country (un país con al menos el { $min } de los pedidos es región propia): { $regions }
report-fit-thin-one = { $name } ({ $known } con destino conocido)
report-fit-thin = estimaciones débiles: las tasas de anulación de { $categories } se apoyan en los valores por defecto (una información previa que vale { $prior } pedidos); más pedidos las moverán
report-fit-conversion = conversion_rate: { $how }
report-fit-conversion-estimated = estimada: { $records } pedidos / ({ $clicks } clics × { $share } de parte atribuida según las reglas de cookie del preajuste)
report-fit-conversion-assumed = SUPUESTO (no estimada: indica los clics del periodo de la exportación); clicks_per_month se fija para que la previsión reproduzca los pedidos por mes de la exportación
report-fit-left = se queda del preajuste { $preset }: { $keys }
report-fit-left-clicks = purchase_delay_days, same_session_share, cookie_days, overwrite_rate (una exportación de pedidos no trae datos de clics)
report-fit-left-clicks-amazon = purchase_delay_days, same_session_share, overwrite_rate (una exportación de pedidos no trae datos de clics); cookie_days son las 24 horas de Amazon
report-fit-left-timing = processing_days, confirm_delay_days, refund_delay_days, auto_confirm_days, invalid_after_days
report-fit-left-settlement = reglas de liquidación y de retirada
report-fit-left-settlement-amazon = la liquidación (los ~60 días tras el fin de mes de Amazon aún no se pueden expresar; mira los comentarios del escenario); el mínimo y la comisión de Amazon en EE. UU. están escritos
report-fit-left-delay = confirm_receipt_share y shipping_days
report-fit-not-estimated = no estimado: { $what }
report-fit-no-rate-key = { $name }: commission_rate
report-fit-no-fate = { $name }: cancel_rate, refund_rate (ningún pedido con destino conocido)

## Tus pedidos hasta ahora (el almacén de pedidos de `affcast track`)
report-html-mydata = Tus pedidos hasta ahora
report-mydata-sub = { $imports } descargas de pedidos de { $network } en { $store }, estados a { $as-of }; dinero en { $currency }.
report-mydata-months = Por mes de pago; confirmado y anulado por el mes en que ocurrieron.
report-mydata-pipeline = En el flujo ahora: { $pending-orders } pedidos pendientes ({ $pending } { $currency } de comisión aún no confirmada) y { $unpaid-orders } pedidos confirmados aún no pagados ({ $unpaid } { $currency }).
report-mydata-inferred = { $count } confirmaciones o anulaciones sin fecha en ninguna exportación se fecharon por las descargas de alrededor.
report-mydata-nowcast = Previsión inmediata: los próximos { $months } meses a partir del dinero en el flujo y del escenario ({ $trials } mundos simulados, semilla { $seed }); cada celda la mediana y, debajo, el rango del percentil 10 al 90.
report-mydata-fva = Cuánto acertaron las previsiones guardadas: en cada descarga se previeron los 3 meses siguientes; cada mes que ya ocurrió se puntúa aquí.
report-mydata-fva-none = Aún no se puede puntuar ninguna previsión guardada: un mes se puntúa cuando una descarga posterior lo muestra completo.
