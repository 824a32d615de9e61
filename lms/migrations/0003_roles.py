"""The roles as Django groups, with the permissions each role needs.

The mapping is frozen here, as migrations must be; later modules add the
permissions their own models need in their own data migrations.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_ACCESS = "wagtailadmin.access_admin"
FRAMEWORK_EDIT = [
    "lms.add_frameworkversion",
    "lms.change_frameworkversion",
    "lms.view_frameworkversion",
    "lms.publish_frameworkversion",
    "lms.lock_frameworkversion",
    "lms.unlock_frameworkversion",
]
ROLE_PERMISSIONS = {
    "Officer": [],
    "Assessor": [],
    "Manager": [],
    "Trainer": [ADMIN_ACCESS, "lms.view_frameworkversion"],
    "Champion": [ADMIN_ACCESS, *FRAMEWORK_EDIT],
    "Administrator": [
        ADMIN_ACCESS,
        *FRAMEWORK_EDIT,
        "lms.delete_frameworkversion",
        "lms.add_region",
        "lms.change_region",
        "lms.delete_region",
        "lms.view_region",
        "lms.add_office",
        "lms.change_office",
        "lms.delete_office",
        "lms.view_office",
        "lms.add_user",
        "lms.change_user",
        "lms.delete_user",
        "lms.view_user",
        "lms.view_auditentry",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_group",
        "wagtailcore.add_locale",
        "wagtailcore.change_locale",
        "wagtailcore.delete_locale",
        "wagtailcore.view_locale",
    ],
}
# Images and documents are granted per collection (the root one) in Wagtail.
ROLE_COLLECTION_PERMISSIONS = {
    "Trainer": [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    "Administrator": [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
    ],
}


# Wagtail adds these to snippets with drafts and locking after migrate; the
# groups need them now.
WAGTAIL_EXTRA_ACTIONS = ("publish", "lock", "unlock")


def _permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = dotted.split(".")
    action, _sep, model = codename.partition("_")
    if app_label == "lms" and action in WAGTAIL_EXTRA_ACTIONS:
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {action} competency framework version"},
        )
        return permission
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need
    # them now.
    for app_config in global_apps.get_app_configs():
        models_module = app_config.models_module
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    # Wagtail's sample groups would sit confusingly beside the real roles.
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(apps, dotted) for dotted in permissions])
        if root is not None:
            for dotted in ROLE_COLLECTION_PERMISSIONS.get(name, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root, permission=_permission(apps, dotted)
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_framework_pages_notifications_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
