"""Every user-facing text of the guided assessment, in French and English.

Labels live here and nowhere else: :data:`TEXT` maps a key to its
``(fr, en)`` pair, :func:`tr` picks one and fills ``{fields}``. Numbers are
written the way each language reads them (:func:`number`): a French page
shows ``1 234,5`` where an English one shows ``1,234.5``.
"""

from __future__ import annotations

import math

from ..vocabulary import LANGS, PHASE_LABELS, STAGE_LABELS, UNIT_LABELS, localized_number
from ..vocabulary import unit_label as vocabulary_unit_label

TEXT = {
    # header
    "app_title": ("Bilan carbone guidé", "Guided carbon assessment"),
    "app_subtitle": ("Méthode Carbon'Clap (Ecoprod), facteurs ouverts et sourcés",
                     "Carbon'Clap method (Ecoprod), open and sourced factors"),
    "edition": ("Édition des facteurs {name} (sha256 {sha}…)",
                "Factor edition {name} (sha256 {sha}…)"),
    "edition_draft": ("Édition des facteurs {name} (sha256 {sha}…), édition provisoire (draft edition)",
                      "Factor edition {name} (sha256 {sha}…), draft edition"),
    "type": ("Type de production", "Production type"),
    "stage": ("Étape du bilan", "Assessment stage"),
    **STAGE_LABELS,                     # "forecast", "final"
    # production data
    "production": ("Production", "Production"),
    "title": ("Titre", "Title"),
    "content_minutes": ("Durée du contenu", "Content duration"),
    "episodes": ("Épisodes", "Episodes"),
    "budget_eur": ("Budget", "Budget"),
    "days": ("Jours de tournage ou d'enregistrement", "Shooting or recording days"),
    "country": ("Pays (code ISO)", "Country (ISO code)"),
    "unit_minutes": ("minutes", "minutes"),
    "unit_eur": ("EUR HT", "EUR excl. VAT"),
    "unit_days": ("jours", "days"),
    # questionnaire
    "steps": ("Sélection des étapes", "Choice of steps"),
    "steps_help": ("Décochez une étape qui ne concerne pas la production : ses lignes sont "
                   "retirées du résultat et des fichiers enregistrés, et reviennent si vous la "
                   "cochez à nouveau.",
                   "Untick a step the production does not have: its lines leave the result "
                   "and the saved files, and come back if you tick it again."),
    "other_lines": ("Autres lignes", "Other lines"),
    "other_help": ("Lignes du fichier qui ne correspondent à aucun champ du questionnaire "
                   "de ce type de production.",
                   "Lines of the file that match no field of this production type's "
                   "questionnaire."),
    "add_line": ("Ajouter une ligne", "Add a line"),
    "remove_line": ("Retirer cette ligne", "Remove this line"),
    "quantity_tip": ("Un nombre (45,5 ; 14 183) ou un produit : voyageurs × trajets × km "
                     "(3 × 2 × 465), personnes × nuits (4 × 5)",
                     "A number (45.5; 14,183) or a product: travellers × trips × km "
                     "(3 × 2 × 465), people × nights (4 × 5)"),
    "factor_id_placeholder": ("identifiant du facteur", "factor id"),
    "line_kg": ("{value} kgCO2e", "{value} kgCO2e"),
    # bad input (shown next to the field)
    "bad_comma": ("virgule décimale : écrivez {fixed} (avec un point)",
                  "decimal comma: write {fixed} (with a point)"),
    "bad_mixed": ("« {text} » mélange virgule et point : écrivez par exemple 1234,5",
                  "'{text}' mixes commas and points in an unexpected way: write e.g. 1,234.5"),
    "bad_number": ("« {text} » n'est pas un nombre", "'{text}' is not a number"),
    "bad_negative": ("{text} est négatif : une quantité est positive ou nulle",
                     "{text} is negative: a quantity is zero or more"),
    "bad_finite": ("« {text} » n'est pas un nombre fini", "'{text}' is not a finite number"),
    "bad_unit": ("l'unité « {unit} » ne convient pas au facteur choisi, dont l'unité "
                 "d'activité est {activity_unit}",
                 "unit '{unit}' does not fit the chosen factor, whose activity unit is "
                 "{activity_unit}"),
    "bad_unit_unknown": ("unité inconnue « {unit} »", "unknown unit '{unit}'"),
    "bad_unit_empty": ("indiquez une unité", "give a unit"),
    "bad_factor": ("« {factor} » n'est pas un facteur d'émission de l'édition {edition}",
                   "'{factor}' is not an emission factor of edition {edition}"),
    "bad_country": ("« {text} » n'est pas un code pays ISO à deux lettres (FR, GB, DE…)",
                    "'{text}' is not a two-letter ISO country code (FR, GB, DE…)"),
    "kept_previous": ("la valeur précédente ({value}) reste prise en compte",
                      "the previous value ({value}) is still used"),
    "fields_to_fix": ("{count} champ(s) à corriger : leurs dernières valeurs valides sont "
                      "utilisées", "{count} field(s) to fix: their last valid values are used"),
    # results
    "results": ("Résultats", "Results"),
    "total": ("Total", "Total"),
    "by_category": ("Par catégorie", "By category"),
    "by_phase": ("Par phase", "By phase"),
    "category": ("Catégorie", "Category"),
    "phase": ("Phase", "Phase"),
    "share": ("Part", "Share"),
    "published_share": ("Moyenne 2024", "2024 mean"),
    "published_share_note": ("Moyenne 2024 : part moyenne de la catégorie dans les bilans "
                             "Carbon'Clap 2024 (Ecoprod), tous genres confondus.",
                             "2024 mean: the category's mean share in the 2024 Carbon'Clap "
                             "assessments (Ecoprod), all genres."),
    "indicators": ("Indicateurs", "Indicators"),
    "equivalences": ("Équivalences", "Equivalences"),
    "benchmark": ("Par rapport aux productions du même genre",
                  "Against productions of the same genre"),
    "no_benchmark": ("Pas de comparaison publiée pour ce type de production avec les données "
                     "saisies (renseignez la durée du contenu pour la comparaison par heure).",
                     "No published comparison for this production type with the data given "
                     "(fill the content duration for the per-hour comparison)."),
    "no_result": ("Pas encore de résultat : remplissez une quantité.",
                  "No result yet: fill in a quantity."),
    "no_indicator": ("Renseignez la durée, le budget, les jours ou les épisodes pour les "
                     "indicateurs.", "Fill the duration, budget, days or episodes for the "
                     "indicators."),
    "per_hour_of_content": ("par heure de contenu", "per hour of content"),
    "per_minute_of_content": ("par minute de contenu", "per minute of content"),
    "per_keur_budget": ("par k EUR de budget", "per k EUR of budget"),
    "per_day": ("par jour de tournage ou d'enregistrement", "per shooting or recording day"),
    "per_episode": ("par épisode", "per episode"),
    "petrol_car_km": ("km en voiture essence", "km by petrol car"),
    "earth_laps_petrol_car": ("tours de la Terre en voiture essence",
                              "laps of the Earth by petrol car"),
    "french_annual_footprints": ("empreintes annuelles d'un Français",
                                 "annual footprints of a French resident"),
    "source": ("Source", "Source"),
    "confidence_confirmed": ("chiffre confirmé", "confirmed figure"),
    "confidence_secondary": ("chiffre de source secondaire", "figure from a secondary source"),
    # dimensions: scopes, BEGES, GWP, biogenic CO2, contrails, electricity
    "by_scope": ("Par scope (GHG Protocol)", "By scope (GHG Protocol)"),
    "scope": ("Scope", "Scope"),
    "by_beges": ("Par catégorie et poste BEGES (méthode réglementaire v5)",
                 "By BEGES category and item (French regulatory method v5)"),
    "beges_item": ("Catégorie / poste", "Category / item"),
    "beges_note": ("L'amont de l'énergie (extraction et transport des combustibles, pertes en "
                   "ligne) est au poste 4.1, comme le demande la méthode BEGES v5 ; au scope 3.3 "
                   "pour le GHG Protocol.",
                   "The upstream of energy (fuel extraction and transport, grid losses) is in "
                   "item 4.1, as the BEGES v5 method asks; in scope 3.3 for the GHG Protocol."),
    "gwp_sets": ("Jeux de PRG (GWP) des facteurs", "GWP sets of the factors"),
    "gwp_set": ("Jeu de PRG", "GWP set"),
    "gwp_by_set": ("Par jeu de PRG (GWP)", "By GWP set"),
    "gwp_unstated": ("non précisé par la source", "not stated by the source"),
    "gwp_used": ("PRG utilisés par les facteurs : {sets}.", "GWP sets used by the factors: {sets}."),
    "gwp_unstated_part": ("{value} kgCO2e viennent de facteurs dont la source ne précise pas "
                          "le PRG.", "{value} kgCO2e come from factors whose source does not "
                          "state its GWP set."),
    "gwp_mixed": ("Attention : le total mélange des PRG de rapports du GIEC différents ({sets}).",
                  "Caution: the total mixes GWPs of different IPCC reports ({sets})."),
    "biogenic_co2": ("CO2 biogénique (hors total)", "Biogenic CO2 (outside the total)"),
    "biogenic_note": ("Reporté à part, jamais dans le total, comme le demande le GHG Protocol ; "
                      "seulement là où la source du facteur le sépare (biocarburants, bois).",
                      "Reported apart, never in the total, as the GHG Protocol asks; only where "
                      "the factor's source separates it (biofuels, wood)."),
    "method_choices": ("Choix de méthode", "Methodological choices"),
    "contrails_with": ("Total avec traînées de condensation", "Total with contrails"),
    "contrails_without": ("Total sans traînées de condensation", "Total without contrails"),
    "contrails": ("Traînées des vols", "Flight contrails"),
    "contrails_tip": ("Les vols sont comptés avec ou sans l'effet de leurs traînées de "
                      "condensation ; le résultat donne les deux totaux.",
                      "Flights are counted with or without the effect of their contrails; the "
                      "result gives both totals."),
    "contrails_include": ("incluses (recommandation ADEME)", "included (ADEME recommendation)"),
    "contrails_exclude": ("exclues", "excluded"),
    "contrails_setting_is": ("Traînées de condensation des vols : {setting}.",
                             "Flight contrails: {setting}."),
    "contrails_mixed": ("Attention : les lignes du fichier mélangent des facteurs avec et sans "
                        "traînées.", "Caution: the file's lines mix factors with and without "
                        "contrails."),
    "electricity_location": ("Électricité, méthode fondée sur la localisation",
                             "Electricity, location-based"),
    "electricity_market": ("Électricité, méthode fondée sur le marché (contrat)",
                           "Electricity, market-based (contract)"),
    "total_market_based": ("Total avec l'électricité fondée sur le marché",
                           "Total with market-based electricity"),
    "data_quality": ("Qualité de la donnée", "Data quality"),
    "dq_default": ("Défaut", "Default"),
    "dq_measured": ("Mesuré", "Measured"),
    "dq_computed": ("Calculé", "Computed"),
    "dq_estimated": ("Estimé", "Estimated"),
    "dq_proxy": ("Proxy", "Proxy"),
    "data_quality_tip": ("Qualité de la quantité (son incertitude dans le Monte Carlo) : "
                         "{levels}. Défaut de ce champ : {default}. Sur un bilan "
                         "prévisionnel, « mesuré » compte comme « calculé ».",
                         "Quality of the quantity (its uncertainty in the Monte Carlo): "
                         "{levels}. This field's default: {default}. On a forecast, "
                         "'measured' counts as 'computed'."),
    # charts
    "chart_category": ("Émissions par catégorie", "Emissions by category"),
    "chart_phase": ("Émissions par phase", "Emissions by phase"),
    "chart_lines": ("Les {n} premières lignes", "Top {n} lines"),
    "chart_benchmark": ("Comparaison aux moyennes publiées", "Against published means"),
    "chart_kg": ("kgCO2e", "kgCO2e"),
    "chart_t": ("tCO2e", "tCO2e"),
    "this_production": ("Cette production", "This production"),
    "published_mean": ("Moyenne Carbon'Clap 2024", "Carbon'Clap 2024 mean"),
    "bench_per_production": ("par production", "per production"),
    "bench_per_episode": ("par épisode", "per episode"),
    "bench_per_hour": ("par heure (genre)", "per hour (genre)"),
    "bench_per_hour_all_genres": ("par heure (tous genres)", "per hour (all genres)"),
    "tab_category": ("Catégories", "Categories"),
    "tab_phase": ("Phases", "Phases"),
    "tab_lines": ("Lignes", "Lines"),
    "tab_benchmark": ("Comparaison", "Benchmark"),
    # uncertainty (Monte Carlo)
    "mc_title": ("Incertitude", "Uncertainty"),
    "mc_button": ("Estimer l'incertitude", "Estimate uncertainty"),
    "mc_method": ("Monte Carlo, {iterations} tirages, graine {seed} : les mêmes saisies donnent "
                  "les mêmes chiffres. Chaque facteur suit une loi lognormale de médiane sa "
                  "valeur et d'intervalle à 95\u00a0% valeur / (1 + u) à valeur × (1 + u), "
                  "u étant son incertitude.",
                  "Monte Carlo, {iterations} draws, seed {seed}: the same inputs give the same "
                  "figures. Each factor is lognormal, with its value as median and a 95\u00a0% "
                  "interval from value / (1 + u) to value × (1 + u), u being its uncertainty."),
    "mc_interval": ("Total médian {p50} kgCO2e ; intervalle à 90\u00a0% : {p5} – {p95} kgCO2e "
                    "(5e – 95e centile). Calcul déterministe : {det} kgCO2e.",
                    "Median total {p50} kgCO2e; 90\u00a0% interval: {p5} – {p95} kgCO2e "
                    "(5th – 95th percentile). Deterministic total: {det} kgCO2e."),
    "mc_stale": ("Le bilan a changé depuis l'estimation : cliquez à nouveau sur « Estimer "
                 "l'incertitude » pour des chiffres à jour.",
                 "The assessment has changed since the estimate: click “Estimate uncertainty” "
                 "again for current figures."),
    "mc_empty": ("Rien à estimer : remplissez au moins une quantité.",
                 "Nothing to estimate: fill in at least one quantity."),
    "mc_failed": ("Estimation impossible : {message}", "Cannot estimate: {message}"),
    "mc_drawing": ("Graphique en cours…", "Drawing the chart…"),
    # first screen
    "welcome_title": ("Que voulez-vous évaluer ?", "What do you want to assess?"),
    "welcome_new": ("Nouveau bilan", "New assessment"),
    "welcome_start": ("Commencer", "Start"),
    "welcome_example": ("Ou partir d'un exemple", "Or start from an example"),
    "welcome_open_example": ("Ouvrir l'exemple", "Open the example"),
    "welcome_file": ("Ou ouvrir un fichier de bilan (.yaml, .json, .xlsx)",
                     "Or open an assessment file (.yaml, .json, .xlsx)"),
    "draft_found": ("Un brouillon non enregistré existe : « {title} » ({type}), modifié le "
                    "{date}.", "An unsaved draft exists: '{title}' ({type}), changed on {date}."),
    "draft_restore": ("Reprendre le brouillon", "Restore the draft"),
    "draft_discard": ("Supprimer le brouillon", "Discard the draft"),
    "draft_restored": ("Brouillon repris : « {title} ».", "Draft restored: '{title}'."),
    "draft_discarded": ("Brouillon supprimé.", "Draft discarded."),
    "draft_note": ("Brouillon enregistré automatiquement dans {folder}",
                   "Draft saved automatically in {folder}"),
    "new_assessment": ("Nouveau bilan…", "New assessment…"),
    "unsaved": ("Modifications non enregistrées (brouillon conservé)",
                "Unsaved changes (draft kept)"),
    # distance helper (plane, train, car)
    "d_title": ("Outil : distance d'un trajet", "Helper: distance of a trip"),
    "d_help": ("Tapez deux lieux : villes, gares (Marseille Saint-Charles) ou codes IATA "
               "(Orly, Roissy, Beauvais, Marignane sont reconnus). Hors ligne : aéroports "
               "(airportsdata), 133 gares d'intérêt national (SNCF Gares & Connexions, ODbL), "
               "villes de 5 000 habitants ou plus (GeoNames, CC BY ; les villes françaises, "
               "outre-mer compris, passent avant les homonymes étrangers). Avion : distance "
               "orthodromique + 8 % (DEFRA) et tranche du facteur ; l'autre règle publiée, "
               "+ 95 km (SEQE-UE, GLEC/ISO 14083, Labos 1point5), change la tranche des vols "
               "courts (430 km à vol d'oiseau : 464 km avec + 8 %, moins de 500 km ; 525 km "
               "avec + 95 km, 500 à 1 000 km). Train × 1,2 et voiture × 1,3 (Labos 1point5). "
               "La quantité va dans la première ligne vide du champ choisi, sinon dans une "
               "nouvelle ligne, avec une note qui décrit l'estimation.",
               "Type two places: towns, stations (Marseille Saint-Charles) or IATA codes "
               "(Orly, Roissy, Beauvais, Marignane are known). Offline: airports "
               "(airportsdata), 133 French stations of national interest (SNCF Gares & "
               "Connexions, ODbL), towns of 5,000 inhabitants or more (GeoNames, CC BY; French "
               "towns, overseas included, come before namesakes abroad). Plane: great-circle "
               "distance + 8 % (DEFRA) and the factor's band; the other published rule, "
               "+ 95 km (EU ETS, GLEC/ISO 14083, Labos 1point5), changes the band of short "
               "flights (430 km as the crow flies: 464 km with + 8 %, under 500 km; 525 km "
               "with + 95 km, 500 to 1,000 km). Train × 1.2 and car × 1.3 (Labos 1point5). "
               "The quantity goes in the chosen field's first empty line, else in a new line, "
               "with a note describing the estimate."),
    "d_mode": ("Mode", "Mode"),
    "d_mode_plane": ("Avion", "Plane"),
    "d_mode_train": ("Train", "Train"),
    "d_mode_car": ("Voiture", "Car"),
    "d_from": ("De", "From"),
    "d_to": ("à", "to"),
    "d_travellers": ("Voyageurs", "Travellers"),
    "d_vehicles": ("Véhicules", "Vehicles"),
    "d_return": ("aller-retour", "return trip"),
    "d_target": ("Champ", "Field"),
    "d_fill": ("Calculer et remplir", "Compute and fill"),
    "d_no_target": ("ce questionnaire n'a pas de champ pour ce mode",
                    "this questionnaire has no field for this mode"),
    "d_unknown": ("Lieu introuvable : {message}", "Place not found: {message}"),
    "d_kind_airport": ("aéroport", "airport"),
    "d_kind_station": ("gare", "station"),
    "d_kind_town": ("ville", "town"),
    "d_matched": ("Lieux retenus : {a} ({kind_a}) → {b} ({kind_b}).",
                  "Places used: {a} ({kind_a}) → {b} ({kind_b})."),
    "d_others": ("« {typed} » désigne aussi : {others} ; pour en choisir un, tapez-le tel "
                 "qu'affiché (« {example} »).",
                 "'{typed}' also matches: {others}; to pick one, type it as shown "
                 "('{example}')."),
    "d_not_found_plane": ("aucun aéroport pour « {name} » : tapez une ville desservie par un "
                          "aéroport ou un code IATA (CDG).",
                          "no airport for '{name}': type a town served by an airport or an "
                          "IATA code (CDG)."),
    "d_not_found": ("aucune ville, gare ou aéroport pour « {name} » : une ville de 5 000 "
                    "habitants ou plus, une gare d'intérêt national (Marseille Saint-Charles) "
                    "ou un code IATA (CDG).",
                    "no town, station or airport for '{name}': a town of 5,000 inhabitants "
                    "or more, a French station of national interest (Marseille Saint-Charles) "
                    "or an IATA code (CDG)."),
    "d_result": ("{a} → {b} : {direct} km à vol d'oiseau, {flight} km de vol (+8 %, DEFRA), "
                 "tranche {band} ; {legs} trajet(s) × {travellers} voyageur(s) = {quantity} "
                 "{unit}.",
                 "{a} → {b}: {direct} km great-circle, {flight} km flown (+8 %, DEFRA), "
                 "band {band}; {legs} leg(s) × {travellers} traveller(s) = {quantity} {unit}."),
    "d_result_route": ("{a} → {b} : {direct} km à vol d'oiseau × {factor} (détour, Labos "
                       "1point5) = {route} km ; {legs} trajet(s) × {count} {who} = {quantity} "
                       "{unit}.",
                       "{a} → {b}: {direct} km great-circle × {factor} (detour, Labos "
                       "1point5) = {route} km; {legs} leg(s) × {count} {who} = {quantity} "
                       "{unit}."),
    "d_abroad": ("À vérifier : « {typed} » n'est trouvé qu'à l'étranger ({place}) ; le "
                 "répertoire n'a pas de lieu français de ce nom (villes de 5 000 habitants "
                 "ou plus). Tapez une ville voisine, une gare ou un code IATA si le lieu est "
                 "en France.",
                 "Please check: '{typed}' is only found abroad ({place}); the gazetteer has "
                 "no French place of that name (towns of 5,000 inhabitants or more). Type a "
                 "nearby town, a station or an IATA code if the place is in France."),
    "d_far": ("À vérifier : {direct} km à vol d'oiseau, plus de {limit} km, est peu probable "
              "pour un trajet en {mode} d'une production ; vérifiez les lieux retenus "
              "(l'estimation est tout de même remplie).",
              "Please check: {direct} km as the crow flies, over {limit} km, is unlikely for "
              "a production's trip by {mode}; check the places used (the estimate is filled "
              "all the same)."),
    "d_note_plane": ("Estimation de l'outil distance : {a} → {b} : {direct} km à vol d'oiseau "
                     "+ 8 % (avion, DEFRA) = {flight} km × {legs} trajet(s) × {count} {who}",
                     "Distance helper estimate: {a} → {b}: {direct} km great-circle + 8 % "
                     "(plane, DEFRA) = {flight} km × {legs} leg(s) × {count} {who}"),
    "d_note_route": ("Estimation de l'outil distance : {a} → {b} : {direct} km à vol d'oiseau "
                     "× {factor} ({mode}, Labos 1point5) × {legs} trajet(s) × {count} {who}",
                     "Distance helper estimate: {a} → {b}: {direct} km great-circle × "
                     "{factor} ({mode}, Labos 1point5) × {legs} leg(s) × {count} {who}"),
    "d_note_total": ("{total} {unit} remplis", "{total} {unit} filled in"),
    "line_note": ("Note : {note}", "Note: {note}"),
    "d_noted": ("Note de la ligne remplie : {note}.", "Note of the filled line: {note}."),
    "d_who_travellers": ("voyageur(s)", "traveller(s)"),
    "d_who_vehicles": ("véhicule(s)", "vehicle(s)"),
    "d_band_lt500": ("moins de 500 km", "under 500 km"),
    "d_band_500_1000": ("500 à 1 000 km", "500 to 1,000 km"),
    "d_band_1000_2000": ("1 000 à 2 000 km", "1,000 to 2,000 km"),
    "d_band_2000_5000": ("2 000 à 5 000 km", "2,000 to 5,000 km"),
    "d_band_gt5000": ("plus de 5 000 km", "over 5,000 km"),
    # dashboard of the save folder
    "dash_button": ("Tableau de bord du dossier", "Dashboard of the folder"),
    "dash_title": ("Bilans du dossier {folder}", "Assessments in {folder}"),
    "dash_none": ("Aucun bilan enregistré dans ce dossier pour l'instant.",
                  "No assessment saved in this folder yet."),
    "dash_refused": ("Fichier ignoré : {message}", "File left out: {message}"),
    "dash_total": ("Total (tCO2e)", "Total (tCO2e)"),
    "dash_per_hour": ("kgCO2e par heure", "kgCO2e per hour"),
    "dash_top": ("Principales catégories", "Largest categories"),
    "dash_pairs": ("Prévisionnel et définitif d'une même production (même titre et type)",
                   "Forecast and final of the same production (same title and type)"),
    "dash_final": ("Définitif (tCO2e)", "Final (tCO2e)"),
    "dash_forecast": ("Prévisionnel (tCO2e)", "Forecast (tCO2e)"),
    "dash_change": ("Écart", "Change"),
    "dash_note": ("Calculés ensemble par le moteur de portefeuille, édition {edition}.",
                  "Computed together by the portfolio engine, edition {edition}."),
    # forecast against final
    "cmp_title": ("Prévisionnel et définitif", "Forecast and final"),
    "cmp_help": ("Chargez le bilan prévisionnel (ou gardez le bilan en cours comme "
                 "prévisionnel), puis saisissez ou ouvrez le définitif : l'écart s'affiche par "
                 "catégorie et par ligne, comme `carbonclap compare`.",
                 "Load the forecast (or keep the current assessment as the forecast), then "
                 "fill or open the final one: the change shows by category and by line, as "
                 "`carbonclap compare` does."),
    "cmp_keep": ("Garder comme prévisionnel", "Keep as forecast"),
    "cmp_load": ("Charger un prévisionnel…", "Load a forecast…"),
    "cmp_clear": ("Oublier le prévisionnel", "Forget the forecast"),
    "cmp_none": ("Pas de prévisionnel chargé.", "No forecast loaded."),
    "cmp_loaded": ("Prévisionnel : « {title} », {total} kgCO2e.",
                   "Forecast: '{title}', {total} kgCO2e."),
    "cmp_with_plan": ("Prévisionnel avec son plan de réduction ({levers}) : {planned} kgCO2e ; "
                      "bilan en cours : {now} kgCO2e ({change}).",
                      "Forecast with its reduction plan ({levers}): {planned} kgCO2e; current "
                      "assessment: {now} kgCO2e ({change})."),
    "cmp_forecast": ("Prévisionnel", "Forecast"),
    "cmp_final": ("Définitif", "Final"),
    "cmp_now": ("Bilan en cours", "Current assessment"),
    "cmp_change": ("Écart", "Change"),
    "cmp_lines": ("Lignes qui changent le plus", "Lines that change most"),
    "cmp_chart": ("Prévisionnel et bilan en cours par catégorie",
                  "Forecast and current assessment by category"),
    # reduction plan
    "plan_title": ("Plan de réduction", "Reduction plan"),
    "plan_help": ("Les leviers qui s'appliquent à ce bilan, avec ce que chacun économise seul "
                  "(calculé par le moteur, comme `carbonclap plan`). Cochez ceux du plan : "
                  "l'économie du plan est calculée avec les leviers appliqués dans l'ordre où "
                  "vous les cochez, sans compter deux fois ce qu'ils ont en commun. Le plan est "
                  "enregistré avec le fichier (bloc plan:).",
                  "The levers that apply to this assessment, with what each saves alone "
                  "(computed by the engine, as `carbonclap plan` does). Tick those of the plan: "
                  "the plan's saving is computed with the levers applied in the order you tick "
                  "them, counting what they share once. The plan is saved with the file "
                  "(plan: block)."),
    "plan_none": ("Aucun levier ne s'applique encore : remplissez les quantités du bilan "
                  "(déplacements, repas, énergie…).",
                  "No lever applies yet: fill the assessment's quantities (travel, meals, "
                  "energy…)."),
    "plan_saving": ("−{value} kgCO2e (−{pct})", "−{value} kgCO2e (−{pct})"),
    "plan_increase": ("+{value} kgCO2e (+{pct})", "+{value} kgCO2e (+{pct})"),
    "plan_market": ("{saving} ; « market-based » : {market}", "{saving}; market-based: {market}"),
    "plan_market_note": ("Chiffre « market-based » (contrat d'électricité, GHG Protocol "
                         "scope 2) : économie du plan {market}. Le total reste « location-based ».",
                         "Market-based figure (electricity contract, GHG Protocol scope 2): "
                         "the plan saves {market}. The total stays location-based."),
    "plan_not_now": ("ne s'applique pas avec ces paramètres",
                     "does not apply with these parameters"),
    "plan_mc_button": ("Incertitude de l'économie", "Uncertainty of the saving"),
    "plan_mc": ("Économie du plan : médiane {p50} kgCO2e ; intervalle à 90\u00a0% : {p5} – {p95} "
                "kgCO2e (5e – 95e centile ; {iterations} tirages des facteurs, les mêmes pour le "
                "bilan et le plan, graine {seed}).",
                "Saving of the plan: median {p50} kgCO2e; 90\u00a0% interval: {p5} – {p95} kgCO2e "
                "(5th – 95th percentile; {iterations} draws of the factors, the same for the "
                "assessment and the plan, seed {seed})."),
    "plan_mc_stale": ("Le bilan ou le plan a changé depuis l'estimation : cliquez à nouveau sur "
                      "« Incertitude de l'économie ».",
                      "The assessment or the plan has changed since the estimate: click "
                      "“Uncertainty of the saving” again."),
    "plan_lever": ("Levier", "Lever"),
    "plan_parameters": ("Paramètres", "Parameters"),
    "plan_alone": ("Économie seul", "Saving alone"),
    "plan_range": ("de {min} à {max}", "from {min} to {max}"),
    "plan_bad_range": ("{value} est hors de l'intervalle permis, de {min} à {max}",
                       "{value} is outside the allowed range, from {min} to {max}"),
    "plan_share_hint": ("{value}\u00a0%\u00a0: une part en pour cent (vouliez-vous dire "
                        "{percent}\u00a0%\u00a0?)",
                        "{value}\u00a0%: a share in percent (did you mean {percent}\u00a0%?)"),
    "plan_before": ("Avant le plan", "Before the plan"),
    "plan_after": ("Après le plan", "After the plan"),
    "plan_total_saving": ("Économie du plan", "Saving of the plan"),
    "plan_no_lever": ("Cochez des leviers pour voir le total après le plan.",
                      "Tick levers to see the total after the plan."),
    "plan_overlap": ("Les leviers seuls additionneraient {sum} kgCO2e : leurs effets se "
                     "recouvrent, le plan ne les compte qu'une fois.",
                     "The levers alone would add up to {sum} kgCO2e: their effects overlap, "
                     "the plan counts them once."),
    "plan_order": ("Ordre d'application : {levers}.", "Order of application: {levers}."),
    "plan_gone": ("Leviers du plan qui ne s'appliquent pas à ce bilan, laissés hors du "
                  "plan : {levers}.", "Levers of the plan that do not apply to this "
                  "assessment, left out of the plan: {levers}."),
    "plan_file_refused": ("Plan du fichier ignoré : {message}", "Plan of the file left out: "
                          "{message}"),
    "plan_failed": ("Calcul du plan impossible : {message}", "Cannot compute the plan: {message}"),
    "plan_chart_totals": ("Total avant et après le plan", "Total before and after the plan"),
    "plan_chart_levers": ("Économie de chaque levier seul", "Saving of each lever alone"),
    "plan_computing": ("Calcul en cours…", "Computing…"),
    "unit_person": ("personnes", "people"),
    # files
    "files": ("Fichiers", "Files"),
    "load": ("Ouvrir un bilan (.yaml, .json, .xlsx)", "Open an assessment (.yaml, .json, .xlsx)"),
    "load_button": ("Ouvrir…", "Open…"),
    "file_name": ("Nom du fichier", "File name"),
    "save": ("Enregistrer", "Save"),
    "export_xlsx": ("Exporter en Excel", "Export to Excel"),
    "export_report": ("Rapport imprimable", "Printable report"),
    "export_checklist": ("Documents à collecter", "Documents to collect"),
    "cl_department": ("Poste", "Department"),
    "cl_field": ("Donnée", "Figure"),
    "cl_document": ("Document à collecter", "Document to collect"),
    "cl_done": ("Reçu", "Received"),
    "saved": ("Enregistré : {path}", "Saved: {path}"),
    "example_refused": ("Exemple illisible : {message}", "Example cannot be read: {message}"),
    "download": ("télécharger {name}", "download {name}"),
    "loaded": ("Ouvert : {name} ({count} lignes)", "Opened: {name} ({count} lines)"),
    "load_refused": ("Fichier refusé : {message}. Le bilan en cours n'a pas changé.",
                     "File refused: {message}. The current assessment has not changed."),
    "save_refused": ("Enregistrement impossible : {message}", "Cannot save: {message}"),
    "bad_file_name": ("nom de fichier invalide « {name} » : un nom simple finissant par "
                      ".yaml, .yml ou .json", "invalid file name '{name}': a plain name "
                      "ending in .yaml, .yml or .json"),
    "saved_with_fixes": ("Enregistré : {path}. {count} champ(s) à corriger : leurs dernières "
                         "valeurs valides ont été enregistrées.", "Saved: {path}. {count} "
                         "field(s) to fix: their last valid values were saved."),
    "not_computed": ("Calcul impossible : {message}", "Cannot compute: {message}"),
    "unexpected": ("Problème inattendu ({kind}) : {message}. Vos saisies sont conservées.",
                   "Unexpected problem ({kind}): {message}. What you typed is kept."),
    # Excel export
    "xlsx_results": ("Résultats", "Results"),
    "xlsx_results_note": ("Calculés à l'export avec l'édition des facteurs {edition} (sha256 "
                          "{sha}…){draft} ; cette feuille n'est pas relue : modifiez les autres "
                          "feuilles.",
                          "Computed when exporting with factor edition {edition} (sha256 {sha}…)"
                          "{draft}; this sheet is not read back: change the other sheets."),
    "xlsx_results_draft": (", édition provisoire (draft edition)", ", draft edition"),
    # report
    "report_title": ("Bilan carbone : {title}", "Carbon assessment: {title}"),
    "untitled": ("sans titre", "untitled"),
    "report_lines": ("Lignes d'activité", "Activity lines"),
    "line": ("Ligne", "Line"),
    "factor": ("Facteur", "Factor"),
    "quantity": ("Quantité", "Quantity"),
    "unit": ("Unité", "Unit"),
    "report_made": ("Calculé le {date} avec carbonclap-methods {version}, édition des facteurs "
                    "{edition} (sha256 {sha}).", "Computed on {date} with carbonclap-methods "
                    "{version}, factor edition {edition} (sha256 {sha})."),
    # the audio scenario explorer (carbonclap app scenarios)
    "sc_title": ("Explorateur de scénarios audio", "Audio scenario explorer"),
    "sc_subtitle": ("Podcast, émission de radio, publicité audio : comparez des scénarios "
                    "et ce que chacun économise", "Podcast, radio show, audio ad: compare "
                    "scenarios and what each one saves"),
    "sc_example": ("Production (exemple)", "Production (example)"),
    "sc_open": ("Ouvrir un bilan…", "Open an assessment…"),
    "sc_opened": ("Bilan ouvert : {name}", "Assessment opened: {name}"),
    "sc_not_audio": ("{name} : un bilan de type {type}, l'explorateur est fait pour les podcasts, "
                     "émissions de radio et publicités audio", "{name}: a {type} assessment; the "
                     "explorer is made for podcasts, radio shows and audio ads"),
    "sc_scenario": ("Scénario modifié", "Scenario being edited"),
    "sc_bad_value": ("un nombre est attendu", "a number is expected"),
    "sc_out_of_range": ("Valeur hors des limites du réglage, non retenue",
                        "Value outside the setting's range, not kept"),
    "sc_name_col": ("Scénario", "Scenario"),
    "sc_new_name": ("Nom du nouveau scénario", "Name of the new scenario"),
    "sc_add": ("Ajouter un scénario", "Add a scenario"),
    "sc_remove": ("Retirer ce scénario", "Remove this scenario"),
    "sc_settings": ("Réglages du scénario « {name} »", "Settings of the scenario “{name}”"),
    "sc_baseline_note": ("Les réglages de la référence décrivent la production ; chaque scénario "
                         "change ce qui diffère de la référence.", "The baseline's settings describe "
                         "the production; each scenario changes what differs from the baseline."),
    "sc_guests_on_site": ("Invités sur place", "Guests on site"),
    "sc_guests_remote": ("Invités à distance", "Guests remote"),
    "sc_results": ("Scénarios côte à côte", "Scenarios side by side"),
    "sc_total": ("Total [kgCO2e]", "Total [kgCO2e]"),
    "sc_change": ("Écart [kgCO2e]", "Change [kgCO2e]"),
    "sc_change_pct": ("Écart", "Change"),
    "sc_saving": ("Économie [kgCO2e]", "Saving [kgCO2e]"),
    "sc_same": ("= référence", "= baseline"),
    "sc_saving_title": ("Économie de chaque scénario (négatif : hausse)",
                        "Saving of each scenario (negative: an increase)"),
    "sc_chart_title": ("Scénarios par catégorie", "Scenarios by category"),
    "sc_file_name": ("Fichier", "File"),
    "sc_save": ("Enregistrer le jeu de scénarios", "Save the scenario set"),
    "sc_saved": ("Enregistré : {path}. Reproduire : carbonclap study run audio_scenarios "
                 "-p scenarios {path}", "Saved: {path}. Reproduce: carbonclap study run "
                 "audio_scenarios -p scenarios {path}"),
    "sc_bad_name": ("Nom de fichier invalide : un nom simple finissant par .yaml",
                    "Invalid file name: a plain name ending in .yaml"),
    "sc_bad_scenario": ("Nom de scénario invalide ou déjà pris : {name}",
                        "Invalid or taken scenario name: {name}"),
    "sc_mode_as_written": ("Comme dans le bilan", "As in the assessment"),
    "sc_mode_train": ("Train", "Train"),
    "sc_mode_plane": ("Avion", "Plane"),
    "sc_mode_car": ("Voiture", "Car"),
    "sc_size_small": ("Petit", "Small"),
    "sc_size_medium": ("Moyen", "Medium"),
    "sc_size_large": ("Grand", "Large"),
    # phases
    "preparation": PHASE_LABELS["preparation"],
    "production_phase": PHASE_LABELS["production"],
    "post-production": PHASE_LABELS["post-production"],
}

# Phase ids -> TEXT keys ("production" is also the production-data heading).
PHASE_KEYS = {"preparation": "preparation", "production": "production_phase",
              "post-production": "post-production"}


# Units as people read them: one catalogue, in vocabulary.py (the workbook uses it too).
UNITS = UNIT_LABELS


def unit_label(unit: str, lang: str) -> str:
    """A unit id as people read it: ``passenger_km`` -> « passager·km »,
    ``kEUR_2023`` -> « k€ (2023) »; an unknown id is shown as it is
    (:func:`vocabulary.unit_label`)."""
    return vocabulary_unit_label(unit, check_lang(lang))


def check_lang(lang: str) -> str:
    """``lang`` itself if it is ``"fr"`` or ``"en"``, else ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (use 'fr' or 'en')")
    return lang


def tr(key: str, lang: str, **fields) -> str:
    """The text ``key`` in ``lang`` with ``{fields}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`TEXT`.
    lang : {"fr", "en"}
    **fields
        Values for the ``{placeholders}`` of the text.
    """
    text = TEXT[key][LANGS.index(check_lang(lang))]
    return text.format(**fields) if fields else text


def phase_label(phase: str, lang: str) -> str:
    """The label of a phase id (``preparation``, ``production``, ``post-production``)."""
    return tr(PHASE_KEYS[phase], lang)


def number(value: float, lang: str, digits: int = 3) -> str:
    """A number written for reading in ``lang``.

    Parameters
    ----------
    value : float
    lang : {"fr", "en"}
    digits : int, default 3
        Significant digits kept below 1000; from 1000 up, whole units.

    Returns
    -------
    str
        ``1 234`` / ``1,234``; ``2,72`` / ``2.72``; ``0,0123`` / ``0.0123``.
        French uses a narrow no-break space between thousands.
    """
    check_lang(lang)
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    else:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
        text = f"{value:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return localized_number(text, lang)


def input_number(value: float, lang: str) -> str:
    """A quantity as a text box shows it, for editing: ``1,5`` / ``1.5``, no
    thousands separator, up to 15 significant digits."""
    text = f"{float(value):.15g}"
    return text.replace(".", ",") if check_lang(lang) == "fr" else text


def percent(value: float, lang: str) -> str:
    """A share in percent, one decimal, thousands grouped: ``12,5 %`` / ``12.5 %``,
    ``1 584,3 %`` / ``1,584.3 %``."""
    return localized_number(f"{value:,.1f}", check_lang(lang)) + "\u00a0%"
