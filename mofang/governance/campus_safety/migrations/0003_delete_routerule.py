from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campus_safety", "0002_move_route_rules_to_cases")]

    operations = [migrations.DeleteModel(name="RouteRule")]
