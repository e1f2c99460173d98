"""get_FOO_display() through core.choices.ChoiceLabels: the label of the value in the request's language."""

from django.utils import translation

from applications.models import Application, Status


def test_the_label_follows_the_active_language():
    application = Application(status=Status.SUBMITTED)
    with translation.override("fi"):
        finnish = application.get_status_display()
    with translation.override("sv"):
        swedish = application.get_status_display()
    with translation.override("en"):
        english = application.get_status_display()
    assert english == str(Status.SUBMITTED.label)
    with translation.override("fi"):
        assert finnish == str(Status.SUBMITTED.label)
    assert len({finnish, swedish, english}) == 3, (finnish, swedish, english)
    assert isinstance(finnish, str)


def test_every_value_has_its_own_label_and_an_unknown_value_is_shown_as_it_is():
    with translation.override("en"):
        for value, label in Status.choices:
            assert Application(status=value).get_status_display() == str(label)
        assert Application(status="no-such-status").get_status_display() == "no-such-status"
