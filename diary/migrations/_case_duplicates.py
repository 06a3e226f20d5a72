"""Used by migrations that make a name unique per user whatever its case (beds in 0009, medicines
in 0015): before the constraint, a second "sofa" next to "Sofa" (a race or an old import) becomes
"sofa (2)", so the migration never fails and nothing loses its records. (Django's migration loader
skips modules whose name starts with "_".)"""


def rename_case_duplicates(model_name: str):
    """A RunPython function renaming `diary.<model_name>` rows whose name repeats another's of the same user."""

    def rename(apps, schema_editor):
        model = apps.get_model("diary", model_name)
        max_length = model._meta.get_field("name").max_length
        seen: dict[tuple[int, str], int] = {}
        taken = {(user_id, name.lower()) for user_id, name in model.objects.values_list("user_id", "name")}
        for row in model.objects.order_by("user_id", "pk").only("pk", "user_id", "name"):
            key = (row.user_id, row.name.lower())
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 1:
                continue
            number = seen[key]
            while True:
                suffix = f" ({number})"
                candidate = row.name[: max_length - len(suffix)] + suffix
                if (row.user_id, candidate.lower()) not in taken:
                    break
                number += 1
            taken.add((row.user_id, candidate.lower()))
            model.objects.filter(pk=row.pk).update(name=candidate)

    return rename
