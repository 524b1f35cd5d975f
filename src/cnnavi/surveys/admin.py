from django.contrib import admin

from cnnavi.common.admin import ReadOnlyAdmin
from cnnavi.surveys.models import Invitation, Question, Response, SurveySettings

# Questions and wording are set up on the office's page (/staff/surveys/questions/) through
# the services; invitations and answers are operational. All are shown here, not edited.
admin.site.register(Question, ReadOnlyAdmin)
admin.site.register(SurveySettings, ReadOnlyAdmin)
admin.site.register(Invitation, ReadOnlyAdmin)
admin.site.register(Response, ReadOnlyAdmin)
