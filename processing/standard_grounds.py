"""Standard grounds the officials can choose for a decision, in both official languages."""

from django.utils.translation import gettext_lazy as _

STANDARD_GROUNDS = {
    "late": {
        "label": _("Arrived after the application period"),
        "fi": "Hakemus saapui hakuajan päättymisen jälkeen, eikä sitä voida ottaa käsiteltäväksi.",
        "sv": "Ansökan kom in efter att ansökningstiden gått ut och kan inte tas upp till behandling.",
    },
    "not_joint": {
        "label": _("Not a joint project of several municipalities"),
        "fi": "Valtionavustusta myönnetään vain hankkeille, joita useampi kunta toteuttaa yhdessä. Hakemus ei täytä tätä edellytystä.",
        "sv": "Statsunderstöd beviljas endast för projekt som flera kommuner genomför tillsammans. Ansökan uppfyller inte detta villkor.",
    },
    "over_share": {
        "label": _("Requested grant above the maximum share"),
        "fi": "Haettu avustus ylittää haun enimmäisosuuden hyväksyttävistä kustannuksista.",
        "sv": "Det sökta understödet överskrider utlysningens maximala andel av de godtagbara kostnaderna.",
    },
    "ranking": {
        "label": _("Lower in the comparison than the funded projects"),
        "fi": "Hakemus sijoittui arvioinnissa heikommin kuin avustusta saaneet hakemukset, eikä määräraha riittänyt sen rahoittamiseen.",
        "sv": "Ansökan placerade sig sämre i bedömningen än de ansökningar som fick understöd, och anslaget räckte inte till för att finansiera den.",
    },
    "goals": {
        "label": _("Meets the call's goals"),
        "fi": "Hanke edistää haun tavoitteita: se digitalisoi ja uudistaa kuntien toimintaa ja toteutetaan kuntien yhteistyönä.",
        "sv": "Projektet främjar utlysningens mål: det digitaliserar och förnyar kommunernas verksamhet och genomförs i samarbete mellan kommuner.",
    },
}
