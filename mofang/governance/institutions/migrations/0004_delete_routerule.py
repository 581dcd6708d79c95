from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("institutions", "0003_move_route_rules_to_cases")]

    operations = [migrations.DeleteModel(name="RouteRule")]
