"""GraphQL API of business accounts: sign in, sign out, change password, current user.

The PC channel signs in with a session cookie; like every cookie-authenticated POST,
its requests need the CSRF token in X-CSRFToken. The mobile channel gets a token in
the login payload and sends it as ``Authorization: Bearer <token>`` afterwards.
"""

import graphene

from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors

from . import services, sessions
from .models import BusinessUser, LoginLog
from .stepup import require_recent_authentication


class LoginChannel(graphene.Enum):
    """登录渠道"""

    PC = LoginLog.Channel.PC.value
    MOBILE = LoginLog.Channel.MOBILE.value

    @property
    def description(self):
        if self == LoginChannel.PC:
            return "电脑端：登录后使用会话 Cookie"
        return "移动端：登录后返回访问令牌，放在 Authorization: Bearer 请求头中"


class BusinessUserType(graphene.ObjectType):
    username = graphene.String(required=True, description="用户名")
    display_name = graphene.String(required=True, description="姓名")
    organisation_name = graphene.String(required=True, description="所属单位名称")
    must_change_password = graphene.Boolean(
        required=True,
        description="为 true 时密码是初始密码、已被重置或已过期，须先修改密码，"
        "此前只能查询 me、修改密码和退出登录",
    )

    class Meta:
        name = "BusinessUser"
        description = "已登录的业务用户"

    @staticmethod
    def from_user(user: BusinessUser) -> "BusinessUserType":
        return BusinessUserType(
            username=user.username,
            display_name=user.display_name,
            organisation_name=user.organisation.name,
            must_change_password=user.password_change_required,
        )


def _channel_value(channel) -> str:
    # graphene passes the enum member to resolvers; its value is the LoginLog channel.
    return getattr(channel, "value", channel)


class Login(graphene.Mutation):
    class Meta:
        name = "LoginPayload"
        description = "登录结果"

    class Arguments:
        username = graphene.String(required=True, description="用户名，不区分大小写")
        password = graphene.String(required=True, description="密码")
        channel = LoginChannel(required=True, description="登录渠道")
        captcha_id = graphene.String(description="图形验证码编号；captchaRequired 为 true 后必填")
        captcha_answer = graphene.String(description="图形验证码答案，不区分大小写")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    user = graphene.Field(BusinessUserType, description="登录成功时返回")
    token = graphene.String(
        description="移动端访问令牌，仅 MOBILE 渠道登录成功时返回，只返回这一次"
    )
    captcha_required = graphene.Boolean(
        required=True,
        description="为 true 时下一次登录须带图形验证码（先查询 captcha 获取图片）",
    )
    second_factor_required = graphene.Boolean(
        required=True,
        description="为 true 时密码正确，还须以 verifyLoginSecondFactor 完成第二步验证",
    )
    challenge = graphene.String(description="第二步验证的凭据，几分钟内有效")
    second_factor_methods = graphene.List(
        graphene.NonNull("business.accounts.schema_security.AuthenticationMethod"),
        required=True,
        description="第二步可用的验证方式",
    )

    @staticmethod
    def mutate(
        root,
        info,
        username: str,
        password: str,
        channel,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
    ):
        request = info.context
        channel = _channel_value(channel)
        username = username.strip()

        problems = []
        if not username:
            problems.append(("username", "请输入用户名。", "required"))
        if not password:
            problems.append(("password", "请输入密码。", "required"))
        bearer_request = getattr(request, "business_channel", None) == LoginLog.Channel.MOBILE
        if channel == LoginLog.Channel.PC and bearer_request:
            # A bearer request skips CSRF checks, so it must not start a cookie session.
            problems.append(
                (
                    "channel",
                    "电脑端登录的请求不能带 Authorization 请求头，请去掉该请求头后重试。",
                    "invalid_channel",
                )
            )
        if problems:
            return Login(
                errors=field_errors(problems),
                captcha_required=False,
                second_factor_required=False,
                second_factor_methods=[],
            )

        outcome = services.authenticate_business_user(
            request,
            username,
            password,
            channel,
            captcha_id=captcha_id,
            captcha_answer=captcha_answer,
        )
        return Login.from_outcome(request, channel, outcome)

    @staticmethod
    def from_outcome(request, channel, outcome) -> "Login":
        from .schema_security import AuthenticationMethod

        status = services.LoginStatus
        if outcome.status == status.RATE_LIMITED:
            raise PublicError(outcome.message, code="RATE_LIMITED")
        failure = {"second_factor_required": False, "second_factor_methods": []}
        if outcome.status == status.CAPTCHA_FAILED:
            return Login(errors=field_errors(outcome.problems), captcha_required=True, **failure)
        if outcome.status == status.INVALID_CREDENTIALS:
            return Login(
                errors=[FieldError(field=None, message=outcome.message, code="invalid_credentials")],
                captcha_required=outcome.captcha_required,
                **failure,
            )
        if outcome.status == status.SECOND_FACTOR_REQUIRED:
            return Login(
                errors=[],
                captcha_required=False,
                second_factor_required=True,
                challenge=outcome.challenge,
                second_factor_methods=[AuthenticationMethod.get(m) for m in outcome.methods],
            )

        token = None
        if channel == LoginLog.Channel.PC:
            sessions.start_session(request, outcome.user)
        else:
            token = sessions.issue_token(outcome.user, request)
        return Login(
            errors=[],
            user=BusinessUserType.from_user(outcome.user),
            token=token,
            captcha_required=False,
            second_factor_required=False,
            second_factor_methods=[],
        )


class Logout(graphene.Mutation):
    class Meta:
        name = "LogoutPayload"
        description = "退出登录结果；未登录时什么也不做"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info):
        request = info.context
        if getattr(request, "access_token", None) is not None:
            sessions.revoke_token(request.access_token)
            request.access_token = None
            request.business_user = None
        elif getattr(request, "business_user", None) is not None:
            sessions.end_session(request)
        return Logout(errors=[])


class ChangePassword(graphene.Mutation):
    class Meta:
        name = "ChangePasswordPayload"
        description = "修改密码结果；成功后本设备保持登录，其他设备的移动端令牌失效"

    class Arguments:
        old_password = graphene.String(required=True, description="当前密码")
        new_password = graphene.String(required=True, description="新密码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    user = graphene.Field(BusinessUserType, description="修改成功时返回")

    @staticmethod
    def mutate(root, info, old_password: str, new_password: str):
        # Changing a credential is a sensitive operation: within STEP_UP_MAX_AGE_MINUTES
        # of sign-in it passes at once, later the user re-authenticates first.
        user = require_recent_authentication(info, allow_must_change=True)
        request = info.context
        try:
            channel = "mobile" if request.access_token is not None else "pc"
            user = services.change_password(
                user,
                old_password,
                new_password,
                keep_token=request.access_token,
                keep_session=sessions.current_online_session(request),
                request_info=audit.request_info_from(request, channel),
            )
        except services.AccountError as error:
            return ChangePassword(errors=field_errors(error.errors))

        if request.access_token is None:
            sessions.refresh_session(request, user)
        return ChangePassword(errors=[], user=BusinessUserType.from_user(user))


class AccountQuery(graphene.ObjectType):
    me = graphene.Field(BusinessUserType, description="当前登录的业务用户；未登录时为 null")

    @staticmethod
    def resolve_me(root, info):
        user = getattr(info.context, "business_user", None)
        if user is None:
            return None
        return BusinessUserType.from_user(user)


class AccountMutation(graphene.ObjectType):
    login = Login.Field(
        description="业务用户登录。失败时只返回一条通用提示，不区分用户名不存在、密码错误和账号锁定；"
        "连续失败达到上限后账号锁定一段时间。一次请求只能包含一个 login。"
    )
    logout = Logout.Field(description="退出登录：电脑端结束会话，移动端作废当前令牌")
    change_password = ChangePassword.Field(
        description="修改密码。新密码须符合密码规则，且不能与最近使用过的密码相同"
    )
