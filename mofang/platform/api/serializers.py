from rest_framework import serializers

from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Staff, Student


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # declared, so the published schema does not take the database's integer range
    depth = serializers.IntegerField(read_only=True, help_text="树中的层级，省为1")

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "kind_display", "code", "school_type", "ownership", "depth", "path"]


class StudentSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True, help_text="脱敏后的身份证号")
    school_code = serializers.CharField(source="school.code", read_only=True)

    class Meta:
        model = Student
        fields = ["id", "student_no", "name", "sex", "birth_date", "id_number", "school", "school_code", "klass"]


class StaffSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = Staff
        fields = ["id", "staff_no", "name", "sex", "org", "position", "subject", "id_number", "phone"]
