# As palavras dos relatórios em português. Os números chegam já formatados; `$count`,
# `$origins` e `$horizon` são números, para as formas do plural.

number-percent = { $n }%

## A tabela mensal
report-col-month = Mês
report-col-clicks = Cliques
report-col-earned = Gerado
report-col-confirmed = Confirmado
report-col-pending-end = Pendente (fim)
report-col-unpaid-end = Não pago (fim)
report-col-cash = Dinheiro
report-col-dead = Links mortos
report-legend = Os cliques partem de traffic.clicks_per_month = { $clicks } (os cliques esperados do primeiro mês, antes da sazonalidade, dos eventos e do ruído do dia a dia). Pendente: gerado, ainda não confirmado nem estornado. Não pago: confirmado mas ainda não no banco (à espera do fechamento, no saldo ou em trânsito).
report-legend-dead = Links mortos: a parte dos cliques do mês que cai num anúncio que já não existe ([links], uma suposição sua), antes das renovações dos meses seguintes.

## O resumo
report-summary-figure = Número
report-summary-mean = média
report-summary-what = O que é
report-metric-total_clicks = cliques, todos os meses
report-metric-total_earned = comissão gerada
report-metric-total_confirmed = confirmada
report-metric-total_reversed = cancelamentos, reembolsos
report-metric-total_cash = dinheiro, após taxas
report-metric-total_fees = taxas de saque
report-metric-run_rate_confirmed = confirmado / mês*
report-metric-run_rate_cash = dinheiro / mês*
report-metric-epc = confirmado / clique
report-metric-reversal_rate = parte estornada
report-metric-first_cash_month = primeiro dinheiro
report-run-rate-note = * média dos últimos 6 meses: a renda mensal quando o fluxo já está cheio. Os totais cobrem o horizonte todo.

## Divisões
report-part-category = Categoria
report-part-region = Região
report-part-clicks = Cliques
report-part-orders = Pedidos
report-part-earned = Gerado
report-part-confirmed = Confirmado
report-part-reversed = Estornado
report-part-run_rate_confirmed = Em regime*
report-part-epc = EPC

## Premissas
report-assumption-range = 90% entre { $low } e { $high }
report-assumption-spread = mediana { $median }, p90 { $p90 }
report-assumption-method = a partir de { $minimum }, taxa { $fee }, { $days ->
    [one] { $days } dia
   *[other] { $days } dias
} até o banco
report-assumption-method-percent = { $fee } + { $percent }%
report-assumption-method-cap = { $fee } (no máximo { $cap })
report-origin-file = arquivo
report-origin-preset = predefinição { $preset }
report-origin-default = padrão
report-origin-one-region = padrão (uma só região global)
report-origin-same-as = padrão (= { $key })
report-origin-country = padrão para { $code } (proteção ao comprador)

## Notas sob os números
report-opening = Fluxo inicial da exportação de { $date }: { $pending-orders } pedidos pendentes ({ $pending } { $currency } de comissão ainda não confirmada) e { $unsettled-orders } pedidos confirmados ainda não liquidados ({ $unsettled } { $currency }); { $skipped } pedidos já liquidados ou estornados da exportação não entram na previsão.
report-months = { $count ->
    [one] { $count } mês
   *[other] { $count } meses
}
report-note-nothing-confirmed = Nenhuma comissão é confirmada em { $horizon } em nenhuma simulação: nada chega ao saldo (sem cliques, sem conversão, todos os pedidos estornados, ou a confirmação demora mais que o horizonte).
report-note-no-cash = Nenhum dinheiro chega ao banco em { $horizon } em nenhuma simulação. No fim, o saldo a pagar é de { $balance } { $currency } (mediana), com { $unsettled } { $currency } confirmados mas ainda não liquidados, abaixo do limite de saque de { $threshold } { $currency }: o saldo cresce até chegar lá. Baixe withdraw_at ou preveja mais meses.
report-note-some-no-cash = { $without } de { $trials } simulações não tiveram dinheiro no banco em { $horizon }; first_cash_month (sua média e seus percentis) conta só as outras.

## Conselho de saque
report-advice-heading = Conselho de saque (taxa por saque: { $fee } { $currency }{ $percent }; médias das simulações)
report-advice-col-threshold = withdraw_at
report-advice-col-withdrawals = saques
report-advice-col-fees = taxas
report-advice-col-fee-share = taxas / dinheiro
report-advice-col-cash = dinheiro
report-advice-col-days = dias confirmado → banco
report-advice-quickest = withdraw_at = { $threshold }: o limite mais rápido cujas taxas ficam abaixo de { $limit } do dinheiro (taxas de { $share }, { $days } dias da confirmação ao banco em média)
report-advice-cheapest = nenhum limite mantém as taxas abaixo de { $limit } do dinheiro dentro do horizonte; withdraw_at = { $threshold } custa menos ({ $share } em taxas)
report-advice-none = nenhum saque chega ao banco dentro do horizonte com nenhum destes limites
report-advice = Conselho: { $reason }. (* = o limite deste cenário)

## Conselho de renovação
report-refresh-heading = Conselho de renovação (links mortos; custo por renovação: { $cost } { $currency }; médias das mesmas simulações)
report-refresh-col-cadence = renovar
report-refresh-col-refreshes = renovações
report-refresh-col-cash = dinheiro
report-refresh-col-run-rate = dinheiro / mês (em regime)
report-refresh-col-net = líquido do custo de renovar
report-cadence-never = nunca
report-cadence-monthly = todo mês
report-cadence-months = a cada { $months } meses
report-refreshes = { $count ->
    [one] { $count } renovação
   *[other] { $count } renovações
}
report-refresh-no-difference = todas as frequências trazem o mesmo dinheiro: neste cenário os links mortos não custam nada (nenhum link morre, ou um clique num link morto converte como num vivo), então renovar não vale tempo nenhum
report-refresh-pays = renovar { $cadence } ({ $refreshes } no horizonte): { $more } { $currency } a mais de dinheiro do que nunca renovar ({ $best } contra { $never }), e { $net } { $currency } a mais depois de { $cost } { $currency } por renovação, o máximo de todas as frequências
report-refresh-costs = não renove: a melhor frequência para o dinheiro ({ $cadence }) traz { $more } { $currency } a mais do que nunca renovar, menos que o custo de suas { $refreshes } a { $cost } { $currency } cada
report-refresh-advice = Conselho: { $reason }. (* = o refresh_every_months deste cenário)

## Comparações
report-objective-cash = dinheiro no banco
report-objective-confirmed = comissão confirmada
report-per-month = por mês
report-per-horizon = no horizonte todo
report-worlds-almost-all = mais de { $percent }
report-worlds-few = menos de { $percent }
report-verdict-spread = A diferença não é a mesma em todos os mundos simulados: em 8 de 10 ela fica entre { $low } e { $high }, e { $name } sai na frente em { $ahead } deles.
report-verdict-noise-se = ± { $noise } é o ruído da própria simulação após { $trials } simulações, não uma faixa de resultados
report-verdict-identical = idêntico a { $base } em todos os mundos simulados ({ $objective } é o mesmo em todas as { $trials } simulações).
report-verdict-more = { $amount }{ $per } a mais de { $what } do que { $base } em média ({ $noise }).
report-verdict-less = { $amount }{ $per } a menos de { $what } do que { $base } em média ({ $noise }).
report-verdict-noise = nenhuma diferença em { $what }{ $per } em relação a { $base } que a simulação consiga separar do seu próprio ruído ({ $amount } em média, { $noise }){ $settle }.
report-verdict-settle = ; cerca de { $trials } simulações os distinguiriam

## O histórico (backtest)
report-track-heading = Backtest de { $scenario } — { $origins } origens, { $horizon } meses à frente, { $trials } simulações cada, semente { $seed } (dinheiro em { $currency })
report-track-over = Em { $origins ->
    [one] { $origins } origem
   *[other] { $origins } origens
} com { $horizon ->
    [one] { $horizon } mês
   *[other] { $horizon } meses
} à frente cada:
report-track-none = nenhum mês de { $metric } para pontuar
report-track-coverage = a faixa de 80% conteve { $covered } de { $points } meses de { $what } ({ $percent }): { $verdict }
report-track-skill-lower = Contra repetir o último mês completo, a perda por quantis da previsão sobre o dinheiro confirmado foi { $percent } menor (skill { $skill }).
report-track-skill-higher = Contra repetir o último mês completo, a perda por quantis da previsão sobre o dinheiro confirmado foi { $percent } maior (skill { $skill }).
report-track-few = Com tão poucos meses o erro binomial é grande demais para dizer se as faixas estão certas ou erradas: use uma exportação mais longa, ou mais origens.
report-track-good = As faixas foram honestas sobre o passado deste site: uma faixa de 80% pode ser lida como 8 meses em 10.
report-track-bad = As faixas não foram calibradas no passado deste site: leia-as com cuidado e veja quais meses ficaram fora, abaixo.
report-track-overlap = (Meses pontuados a partir de origens sobrepostas não são independentes, então as contagens são menos certas do que parecem.)
report-track-too-few = pontos de menos para dizer
report-track-calibrated = calibrado
report-track-too-narrow = faixas estreitas demais: os meses variaram mais do que a previsão permitia
report-track-too-wide = faixas largas demais: os meses variaram menos do que a previsão permitia
report-track-biased-low = viés para baixo: os meses reais ficaram acima da maioria dos simulados
report-track-biased-high = viés para cima: os meses reais ficaram abaixo da maioria dos simulados
report-scored-orders = pedidos
report-scored-earned = comissão gerada
report-scored-confirmed = comissão confirmada
report-score-col-metric = métrica
report-score-col-months = meses
report-score-col-covered = na faixa de 80%
report-score-col-coverage = cobertura
report-score-col-pinball = perda pinball
report-score-col-naive = perda ingênua
report-score-col-skill = skill
report-score-col-verdict = veredito

## Gráficos
report-chart-money = { $scenario }: dinheiro por mês
report-chart-month = Mês
report-chart-money-axis = { $currency } (fluxos por mês; pendente: saldo no fim do mês)
report-chart-band = dinheiro p10–p90
report-chart-cash-median = dinheiro, mediana
report-chart-confirmed-median = confirmado, mediana
report-chart-pending-median = saldo pendente, mediana
report-chart-cash-mean = dinheiro, média
report-chart-dead-axis = cliques em links mortos (mediana)
report-chart-dead = links mortos, parte dos cliques (eixo direito)
report-chart-first-withdrawal = primeiro saque ({ $month })
report-chart-per-variant = { $objective } por variante
report-chart-median-axis = { $currency } (p10–p90, mediana)
report-chart-difference = diferença em relação a { $base } (pareada)
report-chart-mean-axis = { $currency } (p10–p90, média)
report-chart-backtest = { $scenario }: a previsão contra o que aconteceu
report-chart-backtest-band = previsão p10–p90, cada origem
report-chart-backtest-median = previsão, mediana
report-chart-actual = real

## O relatório HTML
report-html-title = { $scenario } — relatório affcast
report-html-sub = O que este site de afiliados vai realmente receber, e quando: { $trials } mundos simulados (semente { $seed }), { $months } meses a partir de { $start }, dinheiro em { $currency }.
report-html-cards = Números principais
report-card-run-rate-confirmed = Renda mensal confirmada (em regime)
report-card-run-rate-cash = Dinheiro no banco por mês (em regime)
report-card-epc = Ganho por clique (EPC)
report-card-reversal = Taxa de estorno
report-card-first-cash = Primeiro dinheiro no banco
report-card-fees = Taxas de saque, horizonte todo
report-card-range = 10–90%: { $low } a { $high }{ $unit }
report-card-per-month = por mês
report-card-per-click = por clique
report-card-resolved = da comissão resolvida
report-card-none = não dentro do horizonte
report-html-money = Dinheiro por mês
report-html-fan-note = A faixa é onde o dinheiro cai em 8 de 10 mundos simulados; a linha é o mundo mediano, a linha tracejada a média.
report-html-monthly = Números mensais
report-html-cells = Cada célula: a mediana e, abaixo, a faixa do percentil 10 ao 90.
report-html-summary = Resumo
report-html-by-category = Renda por categoria
report-html-by-region = Por região
report-html-parts-note = Cada célula: a mediana e, abaixo, a faixa do percentil 10 ao 90. As partes somam os totais em cada mundo simulado.
report-html-advice = Conselho de saque
report-html-refresh = Conselho de renovação
report-html-mixes = Combinações de categorias
report-html-mixes-note = Cada combinação roda os mesmos { $trials } mundos simulados; julgada por { $what }{ $per }. Faixas: 8 em 10 mundos.
report-mix-col-mix = Combinação
report-mix-col-shares = Parte dos cliques
report-mix-col-difference = Diferença em relação a { $base }
report-mix-col-ahead = À frente de { $base } em
report-mix-of-worlds = { $percent } dos mundos
report-html-track = Histórico de acertos
report-html-track-note = Em cada origem a exportação foi cortada ao que se sabia então, ajustada e prevista com os cliques que os meses seguintes realmente tiveram; a linha preta é o que aconteceu.
report-html-assumptions = Premissas
report-html-assumptions-note = Cada parâmetro em vigor após a predefinição, e de onde veio o seu valor. Valores escritos como faixa de 90% são sorteados uma vez por mundo simulado.
report-assumption-col-key = Parâmetro
report-assumption-col-value = Valor
report-assumption-col-from = Origem
report-html-read = Como ler isto
report-read-pending = <b>Pendente</b>: comissão de pedidos pagos pelos seus links. É uma estimativa até o comprador confirmar o recebimento, ou até acabar a proteção ao comprador.
report-read-confirmed = <b>Confirmado</b>: comissão que será paga. <b>Estornado</b>: perdido por um cancelamento, um reembolso ou um pedido anulado após 180 dias sem confirmação.
report-read-payable = <b>A pagar</b>: dinheiro confirmado creditado no seu saldo no fechamento (todo mês por volta do dia 25 no Portals, em poucos dias nas redes).
report-read-cash = <b>Dinheiro</b>: o que chega ao seu banco depois das taxas de saque, quando o saldo passa o seu limite de saque.
report-read-ranges = As faixas juntam a sorte (quais pedidos são reembolsados, quão movimentado é um dia) e o que você não sabe (valores que você deu como faixas). Uma faixa estreita só quer dizer pouco de ambos.
report-read-run-rate = O valor em regime é a média dos últimos seis meses: o que o site ganha quando o fluxo está cheio.
report-html-footer = affcast { $version } · uma previsão de Monte Carlo, não uma promessa.

## Notas da leitura e do ajuste de uma exportação
report-note-export-past-start = a exportação vai até { $as-of }, depois do primeiro mês da previsão, { $start }; pedidos pagos desde o início contam tanto no fluxo inicial quanto como tráfego novo
report-note-export-before-start = a exportação termina em { $as-of }, { $days } dias antes de a previsão começar em { $start }; o que seus pedidos pendentes fizeram nesse meio-tempo é desconhecido, então eles abrem a previsão como se a exportação fosse atual. Use uma exportação mais recente, ou comece a previsão em { $next }
report-note-detected = lida como exportação { $source } (reconhecida pelos campos{ $override })
report-note-paid-from-created = { $count ->
    [one] { $count } pedido
   *[other] { $count } pedidos
} sem paid_time: o created_time faz as vezes dele (o pagamento vem em minutos)
report-note-returns = { $count ->
    [one] { $count } devolução descontada do envio a que corresponde
   *[other] { $count } devoluções descontadas do envio a que cada uma corresponde
} (esse envio é um pedido estornado)
report-note-returns-unmatched = ; { $count ->
    [one] { $count } devolução
   *[other] { $count } devoluções
} de itens enviados antes do relatório ({ $fees } em taxas de anúncio) não correspondem a nenhum envio aqui e ficam de fora
report-note-merged = { $rows } linhas lidas de { $files ->
    [one] { $files } arquivo
   *[other] { $files } arquivos
}: { $orders } pedidos; { $merged } linhas eram um pedido já lido, unido a ele mantendo o status mais recente
report-note-untimed = { $count ->
    [one] { $count } pedido estornado
   *[other] { $count } pedidos estornados
} sem data (o AliExpress não dá nenhuma para pedidos "Invalid"): cada um recebeu uma data de estorno sorteada do ciclo de vida ajustado em toda a exportação (um cancelamento, um reembolso após a entrega, ou o prazo de pedidos nunca confirmados, tão frequentes quanto o ajuste os faz), nunca depois da exportação{ $confirmed }
report-note-untimed-confirmed = ; { $count ->
    [one] { $count } pedido confirmado
   *[other] { $count } pedidos confirmados
} sem data contam como pendentes em cada origem
report-fit-records = { $records } registros { $source } em { $currency } de { $from } a { $to } ({ $months } meses)
report-fit-few = só { $records } registros: as estimativas abaixo são aproximadas; algumas centenas de pedidos por categoria as tornam confiáveis
report-fit-delay = pagamento → confirmação (Kaplan–Meier, { $confirmed } confirmados, { $censored } censurados): mediana { $km-median } d, p90 { $km-p90 }; o modelo ajustado dá mediana { $median } d, p90 { $p90 } d (confirm_receipt_share { $share }, mediana de envio { $shipping } d)
report-fit-days = { $days } d
report-fit-unreached = não alcançado pelos dados
report-fit-delay-amazon = pagamento → confirmação: um relatório de ganhos lista os itens quando foram enviados (ganhos nesse momento), então não há atraso a ajustar; o calendário do cenário é o das regras genéricas (veja seus comentários)
report-fit-delay-few = pagamento → confirmação: confirmações de menos ({ $confirmed } de { $records }) para estimar; fica o da predefinição
report-fit-currency = a exportação está em { $currency }, os valores de pagamento da predefinição { $preset } (minimum_payout, withdraw_at, payout_fee) em USD: defina-os em { $currency } no cenário
report-fit-category = categoria { $name }: { $orders } pedidos ({ $share }), valor do pedido mediana { $median } / p90 { $p90 }, taxa { $rate }, estorno { $reversed } de { $known } com destino conhecido
report-fit-no-rate = não está na exportação
report-fit-regions = regiões por ship_to_country (um país com pelo menos { $min } dos pedidos é uma região própria): { $regions }
report-fit-thin-one = { $name } ({ $known } com destino conhecido)
report-fit-thin = estimativas frágeis: as taxas de estorno de { $categories } se apoiam nos padrões (uma informação prévia que vale { $prior } pedidos); mais pedidos vão movê-las
report-fit-conversion = conversion_rate: { $how }
report-fit-conversion-estimated = estimada: { $records } pedidos / ({ $clicks } cliques × { $share } de parte atribuída pelas regras de cookie da predefinição)
report-fit-conversion-assumed = SUPOSIÇÃO (não estimada: informe os cliques do período da exportação); clicks_per_month é definido para que a previsão reproduza os pedidos por mês da exportação
report-fit-left = mantido da predefinição { $preset }: { $keys }
report-fit-left-clicks = purchase_delay_days, same_session_share, cookie_days, overwrite_rate (uma exportação de pedidos não traz dados de cliques)
report-fit-left-clicks-amazon = purchase_delay_days, same_session_share, overwrite_rate (uma exportação de pedidos não traz dados de cliques); cookie_days são as 24 horas da Amazon
report-fit-left-timing = processing_days, confirm_delay_days, refund_delay_days, auto_confirm_days, invalid_after_days
report-fit-left-settlement = regras de fechamento e de saque
report-fit-left-settlement-amazon = o fechamento (os ~60 dias após o fim do mês da Amazon ainda não podem ser expressos; veja os comentários do cenário); o mínimo e a taxa da Amazon nos EUA estão escritos
report-fit-left-delay = confirm_receipt_share e shipping_days
report-fit-not-estimated = não estimado: { $what }
report-fit-no-rate-key = { $name }: commission_rate
report-fit-no-fate = { $name }: cancel_rate, refund_rate (nenhum pedido com destino conhecido)

## Seus pedidos até agora (o armazém de pedidos do `affcast track`)
report-html-mydata = Seus pedidos até agora
report-mydata-sub = { $imports } downloads de pedidos { $network } em { $store }, status de { $as-of }; dinheiro em { $currency }.
report-mydata-months = Por mês de pagamento; confirmado e estornado pelo mês em que aconteceram.
report-mydata-pipeline = No fluxo agora: { $pending-orders } pedidos pendentes ({ $pending } { $currency } de comissão ainda não confirmada) e { $unpaid-orders } pedidos confirmados ainda não pagos ({ $unpaid } { $currency }).
report-mydata-inferred = { $count } confirmações ou estornos sem data em nenhuma exportação foram datados pelos downloads ao redor deles.
report-mydata-nowcast = Previsão imediata: os próximos { $months } meses a partir do dinheiro no fluxo e do cenário ({ $trials } mundos simulados, semente { $seed }); cada célula a mediana e, abaixo, a faixa do percentil 10 ao 90.
report-mydata-fva = Quão certas foram as previsões guardadas: a cada download os 3 meses seguintes foram previstos; cada mês que já aconteceu é avaliado aqui.
report-mydata-fva-none = Nenhuma previsão guardada pode ser avaliada ainda: um mês é avaliado quando um download posterior o mostra inteiro.
