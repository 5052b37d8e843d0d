"""The "aard en aantal" report per organisation: counts only, no number below the small-group limit."""
from cpweb.core.i18n import local_today
from cpweb.signals import logic
from tests.test_signals import make_signal  # noqa: F401 (a fixture)


def test_counts_per_organisation_hide_small_groups(app, client, auth, make_signal):
    for _n in range(6):
        make_signal(organisation_kind="uwv", sentiment="beter")
    for _n in range(5):
        make_signal(organisation_kind="uwv", sentiment="goed")
    for _n in range(7):
        make_signal(organisation_kind="gemeente", sentiment="beter")
    make_signal(organisation_kind="gemeente", sentiment="goed")  # one: it and its neighbour are hidden
    make_signal(organisation_kind="werkplein", sentiment="goed")
    make_signal(organisation_kind="werkplein", sentiment="goed", suspected_spam=True)  # not counted
    rows = {row["kind"]: row for row in logic.report(local_today(), local_today())[2]}
    assert (rows["uwv"]["goed"], rows["uwv"]["beter"], rows["uwv"]["total"]) == (5, 6, 11)
    assert (rows["gemeente"]["goed"], rows["gemeente"]["beter"], rows["gemeente"]["total"]) == (None, None, 8)
    assert (rows["werkplein"]["goed"], rows["werkplein"]["beter"], rows["werkplein"]["total"]) == (None, None, None)
    assert (rows["anders"]["goed"], rows["anders"]["total"]) == (0, 0)

    auth.login(role="secretaris")
    page = client.get("/signalen/overzicht").text
    table = page.split('id="per-organisation"')[1].split("</table>")[0]
    assert "<th scope=\"row\">UWV</th>" in table and table.count("minder dan 5") == 5
    csv = client.get("/signalen/overzicht?formaat=csv").text
    assert '"Organisatie";"Het ging goed";"Het kan beter";"Totaal"' in csv
    assert '"UWV";5;6;11' in csv and '"Gemeente";"minder dan 5";"minder dan 5";8' in csv
    assert '"Werkplein";"minder dan 5";"minder dan 5";"minder dan 5"' in csv


def test_the_report_per_organisation_is_for_those_who_read_signals(client, auth):
    assert client.get("/signalen/overzicht").status_code in (302, 303)
    auth.login(role="lid")
    assert client.get("/signalen/overzicht").status_code == 403
