from django.db import migrations

# The 13 keyword tags a question could carry before the occupational families, and the
# families each one covers. A question needed all of its tags to fit; it now fits any of its
# families, so the two pairs that meant one field become that field.
OLD_TAGS = {
    "sales": ["sales"],
    "marketing": ["marketing"],
    "engineering": ["software_engineering", "engineering"],
    "research": ["science_research", "biotech_rd"],
    "consulting": ["consulting"],
    "healthcare": ["healthcare_delivery", "healthcare_admin"],
    "finance": ["corporate_finance", "banking", "accounting"],
    "public_sector": ["government_policy"],
    "nonprofit": ["nonprofit"],
    "education": ["k12_teaching", "higher_education"],
    "product": ["product_management"],
    "regulatory": ["regulatory_quality"],
    "data": ["data_analytics"],
}
PAIRS = {
    frozenset({"sales", "healthcare"}): ["medical_sales"],
    frozenset({"research", "healthcare"}): ["clinical_research"],
}


def families_for(tags):
    if frozenset(tags) in PAIRS:
        return PAIRS[frozenset(tags)]
    families = []
    for tag in tags:
        # A value that is already a family (or unknown) is kept as it is.
        families += OLD_TAGS.get(tag, [tag])
    return families


def forward(apps, schema_editor):
    from coffeechat.questions.bank import sync_rows

    Question = apps.get_model("questions", "Question")
    changed = []
    for question in Question.objects.exclude(owner=None).exclude(tags=""):
        tags = [tag for tag in question.tags.split(",") if tag]
        families = sorted(set(families_for(tags)))
        column = f",{','.join(families)}," if families else ""
        if column != question.tags:
            question.tags = column
            changed.append(question)
    Question.objects.bulk_update(changed, ["tags"], batch_size=500)
    # The shipped bank, version 2: families instead of tags, a reason for most questions,
    # 219 new field-specific questions, the student audience.
    sync_rows(Question)


class Migration(migrations.Migration):
    dependencies = [("questions", "0003_question_why_and_student_audience")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
