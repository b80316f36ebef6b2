from django.urls import include, path

urlpatterns = [
    path("", include("coffeechat.dashboard.urls")),
    path("", include("coffeechat.accounts.urls")),
    path("targets/", include("coffeechat.targets.urls")),
    path("organizations/", include("coffeechat.organizations.urls")),
    path("contacts/", include("coffeechat.contacts.urls")),
    path("conversations/", include("coffeechat.conversations.urls")),
    path("notes/", include("coffeechat.notes.urls")),
    path("followups/", include("coffeechat.followups.urls")),
    path("outreach/", include("coffeechat.outreach.urls")),
    path("leads/", include("coffeechat.leads.urls")),
    path("calendar/", include("coffeechat.calendar.urls")),
    path("questions/", include("coffeechat.questions.urls")),
    path("prep/", include("coffeechat.prep.urls")),
    path("import/", include("coffeechat.imports.urls")),
    path("network/", include("coffeechat.network.urls")),
    path("search/", include("coffeechat.search.urls")),
    path("export/", include("coffeechat.portability.urls")),
    path("interview/", include("coffeechat.interview.urls")),
    path("fit/", include("coffeechat.fit.urls")),
    path("funnel/", include("coffeechat.funnel.urls")),
    path("guide/", include("coffeechat.guide.urls")),
    path("review/", include("coffeechat.review.urls")),
    path("coaching/", include("coffeechat.coaching.urls")),
    path("coach/", include("coffeechat.coaching.urls_coach")),
    path("", include("coffeechat.api.urls")),
]

# A busy SQLite database answers 503 "try again", any other failure the 500 page.
handler500 = "coffeechat.core.views.server_error"
