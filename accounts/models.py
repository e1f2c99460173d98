"""Users, the organisations they work for (municipalities, the ministry) and their roles there."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus

from core.choices import ChoiceLabels


class Language(models.TextChoices):
    FINNISH = "fi", "Suomi"
    SWEDISH = "sv", "Svenska"
    ENGLISH = "en", "English"


# A pseudonymised user's address: `.invalid` can never be delivered or registered (RFC 2606).
PSEUDONYMISED_DOMAIN = "@removed.invalid"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.FINNISH
    )
    title_fi = models.CharField(
        _("job title in Finnish"),
        max_length=200,
        blank=True,
        help_text=_("Printed under the name of the presenter or decision-maker on decisions."),
    )
    title_sv = models.CharField(_("job title in Swedish"), max_length=200, blank=True)
    is_staff = models.BooleanField(
        _("admin access"), default=False, help_text=_("Whether the user may sign in to the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_language__in=Language.values),
                name="user_preferred_language_valid",
                violation_error_message=_("Choose Finnish, Swedish or English."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_pseudonymised(self):
        return self.email.endswith(PSEUDONYMISED_DOMAIN)

    @property
    def display_name(self):
        """The name shown in journals and case pages; a removed user's name is gone for good."""
        if self.is_pseudonymised:
            return _("Removed user %(number)s") % {"number": self.pk}
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def signature(self, language: str) -> str:
        """Name and job title as printed on a decision in `language`: "Maija Meikäläinen,
        neuvotteleva virkamies"."""
        title = self.title_sv if language == "sv" else self.title_fi
        name = str(self.display_name)
        return f"{name}, {title}" if title else name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class LanguageStatus(models.IntegerChoices):
    """Statistics Finland's classification of a municipality's language status (kielisuhde)."""

    FINNISH = 0, _("Unilingual Finnish")
    BILINGUAL_FINNISH_MAJORITY = 1, _("Bilingual, Finnish majority")
    SWEDISH = 2, _("Unilingual Swedish")
    BILINGUAL_SWEDISH_MAJORITY = 3, _("Bilingual, Swedish majority")


def default_language(status) -> str:
    """The language the state writes to a municipality in by default: its majority language (Swedish for
    unilingual Swedish and Swedish-majority bilingual municipalities, Language Act 423/2003)."""
    return "sv" if status in (LanguageStatus.SWEDISH, LanguageStatus.BILINGUAL_SWEDISH_MAJORITY) else "fi"


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other organisation")


class OrganisationQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=OrganisationKind.MUNICIPALITY)


def validate_business_id(value):
    if not ytunnus.is_valid(value):
        raise ValidationError(
            _("Enter a valid Finnish business ID (Y-tunnus), for example 1234567-1."), code="invalid"
        )


class Organisation(ChoiceLabels, models.Model):
    """A municipality, the ministry or another body that takes part in grant cases."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        blank=True,
        null=True,
        unique=True,
        help_text=_("The official three-digit municipality number, with leading zeros."),
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    region_fi = models.CharField(_("region in Finnish"), max_length=100, blank=True)
    region_sv = models.CharField(_("region in Swedish"), max_length=100, blank=True)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    language_status = models.PositiveSmallIntegerField(
        _("language status"),
        choices=LanguageStatus,
        null=True,
        blank=True,
        help_text=_("Statistics Finland's classification; empty for other organisations."),
    )
    language = models.CharField(
        _("default language of applications and decisions"),
        max_length=2,
        choices=[("fi", "Suomi"), ("sv", "Svenska")],
        default="fi",
        help_text=_(
            "The municipality's majority language by Statistics Finland's classification; each application "
            "records the language it was made in, and its decision follows that."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
                violation_error_message=_("Unknown kind of organisation."),
            ),
            models.CheckConstraint(
                condition=Q(language_status__isnull=True) | Q(language_status__in=LanguageStatus.values),
                name="organisation_language_status_valid",
                violation_error_message=_("Unknown language status."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fi", "sv"]),
                name="organisation_language_valid",
                violation_error_message=_("Decisions are written in Finnish or Swedish."),
            ),
            # A municipality is identified by its official code; other organisations have none.
            models.CheckConstraint(
                condition=(
                    Q(kind=OrganisationKind.MUNICIPALITY, code__isnull=False, code__regex=r"^[0-9]{3}$")
                    | (~Q(kind=OrganisationKind.MUNICIPALITY) & Q(code__isnull=True))
                ),
                name="organisation_municipality_code",
                violation_error_message=_(
                    "A municipality needs its three-digit code; other organisations have none."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language (Swedish on Swedish pages: Esbo, not Espoo)."""
        language = (get_language() or "fi")[:2]
        if language == "sv":
            return self.name_sv or self.name_fi
        if language == "en":
            return self.name_en or self.name_fi
        return self.name_fi

    @property
    def both_names(self):
        """The Finnish name, and the Swedish one where it differs ("Kauniainen – Grankulla"): what the
        municipality pickers match whatever language the user types in."""
        if self.name_sv and self.name_sv != self.name_fi:
            return f"{self.name_fi} – {self.name_sv}"
        return self.name_fi

    @property
    def region(self):
        language = (get_language() or "fi")[:2]
        return self.region_sv if language == "sv" and self.region_sv else self.region_fi

    @property
    def is_municipality(self):
        return self.kind == OrganisationKind.MUNICIPALITY


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Municipality staff")
    OFFICIAL = "official", _("Ministry official")
    REVIEWER = "reviewer", _("Reviewer")
    DECISION_MAKER = "decision_maker", _("Decision-maker")


MINISTRY_ROLES = (Role.OFFICIAL, Role.REVIEWER, Role.DECISION_MAKER)


class Membership(ChoiceLabels, models.Model):
    """A user's role at an organisation: staff of a municipality, or an official role at the ministry."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    main_user = models.BooleanField(
        _("main user"),
        default=False,
        help_text=_("A municipality's main user may invite the municipality's staff to the system."),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name_fi", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message=_("Unknown role."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("The user already has this role at this organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.organisation_id is None or not self.role:
            return
        if self.organisation.is_municipality and self.role != Role.APPLICANT:
            raise ValidationError({"role": _("Staff of a municipality have the municipality staff role.")})
        if not self.organisation.is_municipality and self.role == Role.APPLICANT:
            raise ValidationError({"role": _("The municipality staff role is only for municipalities.")})
        if self.main_user and self.role != Role.APPLICANT:
            raise ValidationError({"main_user": _("Only a municipality's staff can be its main user.")})


class IdentityKind(models.TextChoices):
    MINISTRY_SSO = "ministry_sso", _("Ministry single sign-on")
    SUOMI_FI = "suomi_fi", _("Suomi.fi e-Identification")


class ExternalIdentity(ChoiceLabels, models.Model):
    """An identity that the state's identity services vouch for, linked to one of our users.

    For the ministry's single sign-on the subject is the provider's `sub` claim. For Suomi.fi it is a keyed
    hash (HMAC-SHA256 with IDENTITY_HASH_KEY) of the personal identity code: enough to recognise the same
    person at their next sign-in, useless to anyone without the key; the code itself is never stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("user")
    )
    kind = models.CharField(_("identity service"), max_length=20, choices=IdentityKind)
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        ordering = ["user_id", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IdentityKind.values),
                name="external_identity_kind_valid",
                violation_error_message=_("Unknown identity service."),
            ),
            models.UniqueConstraint(
                fields=["kind", "issuer", "subject"],
                name="external_identity_unique",
                violation_error_message=_("This identity is already linked to a user."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user}"


class Invitation(models.Model):
    """An invitation to work for a municipality in the system, sent to an e-mail address.

    Its link carries a random token of which only the SHA-256 hash is kept. The person who follows it
    identifies with Suomi.fi and accepts; the row stays as the record of who granted what to whom."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("municipality")
    )
    email = models.EmailField(_("email address"))
    main_user = models.BooleanField(_("main user"), default=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="invitation_accepted_by_someone",
                violation_error_message=_("An accepted invitation names who accepted it."),
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
