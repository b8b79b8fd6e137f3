"""GraphQL API of account security: captcha, second factor, step-up, recovery, sessions.

Everything here concerns the signed-in user's own account (or, for the captcha and
recovery, an anonymous visitor), so the data scope is "own records" throughout: each
resolver reads the user from the request and never takes a user id.
"""

import graphene
from django.conf import settings

from business.audit import services as audit
from business.core import captcha, ratelimit
from business.core.api.errors import FieldError, PublicError, RateLimitedError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import recovery, second_factor, sessions, stepup
from .models import LoginLog, OnlineSession
from .permissions import require_business_user
from .schema import BusinessUserType, LoginChannel
from .services import (
    WRONG_SECOND_FACTOR,
    AccountError,
    LoginStatus,
    complete_sign_in,
    send_sign_in_code,
)


def _request_info(request):
    channel = "mobile" if getattr(request, "access_token", None) is not None else "pc"
    return audit.request_info_from(request, channel)


def _value(enum_member) -> str:
    return getattr(enum_member, "value", enum_member)


class AuthenticationMethod(graphene.Enum):
    """身份验证方式"""

    PASSWORD = stepup.PASSWORD
    TOTP = second_factor.TOTP
    RECOVERY_CODE = second_factor.RECOVERY_CODE
    SMS = second_factor.SMS
    EMAIL = second_factor.EMAIL

    @property
    def description(self):
        return {
            AuthenticationMethod.PASSWORD: "密码",
            AuthenticationMethod.TOTP: "动态口令（验证器应用中的 6 位数字）",
            AuthenticationMethod.RECOVERY_CODE: "恢复码（绑定动态口令时生成，每个只能用一次）",
            AuthenticationMethod.SMS: "短信验证码",
            AuthenticationMethod.EMAIL: "邮件验证码",
        }[self]


class CodeChannel(graphene.Enum):
    """验证码的接收方式"""

    SMS = second_factor.SMS
    EMAIL = second_factor.EMAIL


def _methods(values) -> list:
    return [AuthenticationMethod.get(value) for value in values]


# --- Captcha ----------------------------------------------------------------------------


class CaptchaType(graphene.ObjectType):
    id = graphene.String(required=True, description="验证码编号，提交表单时连同答案一起发送")
    image = graphene.String(required=True, description="验证码图片，data:image/png;base64 格式")

    class Meta:
        name = "Captcha"
        description = "图形验证码；每个只能校验一次，几分钟后过期"


def resolve_captcha(root, info):
    address = ratelimit.client_ip(info.context) or "unknown"
    allowed = ratelimit.hit(
        "captcha",
        address,
        limit=settings.CAPTCHA_RATE_LIMIT,
        window_seconds=settings.CAPTCHA_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise RateLimitedError()
    captcha_id, image = captcha.issue_captcha()
    return CaptchaType(id=captcha_id, image=image)


# --- Second sign-in step ---------------------------------------------------------------------


class VerifyLoginSecondFactor(graphene.Mutation):
    class Meta:
        name = "VerifyLoginSecondFactorPayload"
        description = "登录第二步的结果"

    class Arguments:
        challenge = graphene.String(required=True, description="login 返回的 challenge")
        method = AuthenticationMethod(required=True, description="验证方式")
        code = graphene.String(required=True, description="动态口令、恢复码或收到的验证码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    user = graphene.Field(BusinessUserType, description="验证成功时返回")
    token = graphene.String(description="移动端访问令牌，仅移动端登录成功时返回，只返回这一次")

    @staticmethod
    def mutate(root, info, challenge: str, method, code: str):
        request = info.context
        if not code.strip():
            return VerifyLoginSecondFactor(errors=field_errors([("code", "请输入验证码。", "required")]))
        open_challenge = second_factor.open_challenge(challenge)
        channel = open_challenge.channel if open_challenge is not None else LoginLog.Channel.PC
        bearer_request = getattr(request, "business_channel", None) == LoginLog.Channel.MOBILE
        if channel == LoginLog.Channel.PC and bearer_request:
            return VerifyLoginSecondFactor(
                errors=field_errors(
                    [(None, "电脑端登录的请求不能带 Authorization 请求头。", "invalid_channel")]
                )
            )

        outcome = complete_sign_in(request, challenge, _value(method), code)
        if outcome.status == LoginStatus.CHALLENGE_EXPIRED:
            return VerifyLoginSecondFactor(
                errors=field_errors([(None, outcome.message, "challenge_expired")])
            )
        if outcome.status != LoginStatus.SUCCESS:
            return VerifyLoginSecondFactor(
                errors=field_errors([("code", WRONG_SECOND_FACTOR, "invalid_code")])
            )

        token = None
        if channel == LoginLog.Channel.PC:
            sessions.start_session(request, outcome.user)
        else:
            token = sessions.issue_token(outcome.user, request)
        return VerifyLoginSecondFactor(
            errors=[], user=BusinessUserType.from_user(outcome.user), token=token
        )


class SendLoginCode(graphene.Mutation):
    class Meta:
        name = "SendLoginCodePayload"
        description = "发送登录验证码的结果"

    class Arguments:
        challenge = graphene.String(required=True, description="login 返回的 challenge")
        method = CodeChannel(required=True, description="短信或邮件")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    destination = graphene.String(description="接收验证码的手机号码或邮箱（已遮盖）")

    @staticmethod
    def mutate(root, info, challenge: str, method):
        try:
            destination = send_sign_in_code(challenge, _value(method))
        except AccountError as error:
            return SendLoginCode(errors=field_errors(error.errors))
        return SendLoginCode(errors=[], destination=destination)


# --- Step-up re-authentication -------------------------------------------------------------


class Reauthenticate(graphene.Mutation):
    class Meta:
        name = "ReauthenticatePayload"
        description = "重新验证身份的结果；成功后一段时间内可以进行敏感操作"

    class Arguments:
        method = AuthenticationMethod(required=True, description="验证方式：密码、动态口令、短信或邮件验证码")
        secret = graphene.String(required=True, description="密码或验证码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    valid_minutes = graphene.Int(description="验证成功后敏感操作的有效分钟数")

    @staticmethod
    def mutate(root, info, method, secret: str):
        user = require_business_user(info, allow_must_change=True)
        try:
            stepup.reauthenticate(
                info.context,
                user,
                _value(method),
                secret,
                request_info=_request_info(info.context),
            )
        except AccountError as error:
            return Reauthenticate(errors=field_errors(error.errors))
        return Reauthenticate(errors=[], valid_minutes=settings.STEP_UP_MAX_AGE_MINUTES)


class SendReauthenticationCode(graphene.Mutation):
    class Meta:
        name = "SendReauthenticationCodePayload"
        description = "发送身份验证码的结果"

    class Arguments:
        method = CodeChannel(required=True, description="短信或邮件")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    destination = graphene.String(description="接收验证码的手机号码或邮箱（已遮盖）")

    @staticmethod
    def mutate(root, info, method):
        user = require_business_user(info, allow_must_change=True)
        try:
            destination = stepup.send_step_up_code(user, _value(method))
        except AccountError as error:
            return SendReauthenticationCode(errors=field_errors(error.errors))
        return SendReauthenticationCode(errors=[], destination=destination)


# --- Account security overview and TOTP enrolment --------------------------------------------


class AccountSecurityType(graphene.ObjectType):
    totp_enabled = graphene.Boolean(required=True, description="是否已启用动态口令")
    recovery_codes_remaining = graphene.Int(required=True, description="未使用的恢复码个数")
    phone = graphene.String(description="已验证的手机号码（已遮盖）")
    email = graphene.String(description="已验证的电子邮箱（已遮盖）")
    message_second_factor = graphene.Field(
        CodeChannel, description="登录时使用的短信或邮件验证码；null 表示不使用"
    )
    step_up_methods = graphene.List(
        graphene.NonNull(AuthenticationMethod), required=True, description="可用于重新验证身份的方式"
    )
    recently_authenticated = graphene.Boolean(
        required=True, description="当前是否在重新验证身份后的有效期内，可直接进行敏感操作"
    )

    class Meta:
        name = "AccountSecurity"
        description = "当前用户的账号安全设置"


def resolve_account_security(root, info):
    user = require_business_user(info)
    return AccountSecurityType(
        totp_enabled=second_factor.confirmed_device(user) is not None,
        recovery_codes_remaining=second_factor.remaining_recovery_codes(user),
        phone=second_factor.masked_destination("sms", user.verified_phone)
        if user.verified_phone
        else None,
        email=second_factor.masked_destination("email", user.verified_email)
        if user.verified_email
        else None,
        message_second_factor=CodeChannel.get(user.message_second_factor)
        if user.message_second_factor
        else None,
        step_up_methods=_methods(stepup.step_up_methods(user)),
        recently_authenticated=stepup.has_recent_authentication(user, info.context),
    )


class StartTotpEnrolment(graphene.Mutation):
    class Meta:
        name = "StartTotpEnrolmentPayload"
        description = "开始绑定动态口令：返回密钥和二维码，用验证器应用扫描后以第一个口令确认"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    secret = graphene.String(description="密钥（Base32），无法扫码时手动输入")
    otpauth_uri = graphene.String(description="otpauth:// 地址")
    qr_code = graphene.String(description="二维码图片，data:image/png;base64 格式")

    @staticmethod
    def mutate(root, info):
        user = stepup.require_recent_authentication(info)
        try:
            enrolment = second_factor.start_totp_enrolment(user)
        except second_factor.SecondFactorError as error:
            return StartTotpEnrolment(errors=field_errors(error.errors))
        return StartTotpEnrolment(
            errors=[],
            secret=enrolment.secret,
            otpauth_uri=enrolment.otpauth_uri,
            qr_code=enrolment.qr_data_url,
        )


class ConfirmTotpEnrolment(graphene.Mutation):
    class Meta:
        name = "ConfirmTotpEnrolmentPayload"
        description = "确认绑定动态口令；成功后返回恢复码，只显示这一次"

    class Arguments:
        code = graphene.String(required=True, description="验证器应用当前显示的 6 位数字")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    recovery_codes = graphene.List(graphene.NonNull(graphene.String), description="恢复码")

    @staticmethod
    def mutate(root, info, code: str):
        user = stepup.require_recent_authentication(info)
        try:
            codes = second_factor.confirm_totp_enrolment(
                user, code, request_info=_request_info(info.context)
            )
        except second_factor.SecondFactorError as error:
            return ConfirmTotpEnrolment(errors=field_errors(error.errors))
        return ConfirmTotpEnrolment(errors=[], recovery_codes=codes)


class DisableTotp(graphene.Mutation):
    class Meta:
        name = "DisableTotpPayload"
        description = "停用动态口令，同时作废全部恢复码"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info):
        user = stepup.require_recent_authentication(info)
        second_factor.disable_totp(user, request_info=_request_info(info.context))
        return DisableTotp(errors=[])


class RegenerateRecoveryCodes(graphene.Mutation):
    class Meta:
        name = "RegenerateRecoveryCodesPayload"
        description = "重新生成恢复码；旧恢复码全部作废"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    recovery_codes = graphene.List(graphene.NonNull(graphene.String), description="新的恢复码")

    @staticmethod
    def mutate(root, info):
        user = stepup.require_recent_authentication(info)
        try:
            codes = second_factor.regenerate_recovery_codes(
                user, request_info=_request_info(info.context)
            )
        except second_factor.SecondFactorError as error:
            return RegenerateRecoveryCodes(errors=field_errors(error.errors))
        return RegenerateRecoveryCodes(errors=[], recovery_codes=codes)


class SetMessageSecondFactor(graphene.Mutation):
    class Meta:
        name = "SetMessageSecondFactorPayload"
        description = "设置登录时是否需要短信或邮件验证码"

    class Arguments:
        channel = CodeChannel(description="SMS 或 EMAIL；不传或为 null 表示不使用")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, channel=None):
        user = stepup.require_recent_authentication(info)
        value = _value(channel) if channel is not None else ""
        if value and second_factor.destination_for(user, value) is None:
            return SetMessageSecondFactor(
                errors=field_errors(
                    [("channel", "请先验证手机号码或邮箱，再开启对应的登录验证码。", "not_verified")]
                )
            )
        before = user.message_second_factor
        user.message_second_factor = value
        user.save(update_fields=["message_second_factor"])
        audit.record_event(
            "account.second_factor.message",
            actor=audit.business_actor(user),
            request_info=_request_info(info.context),
            object_type="business_user",
            object_id=user.pk,
            changes={"message_second_factor": (before, value)},
        )
        return SetMessageSecondFactor(errors=[])


class RequestContactVerification(graphene.Mutation):
    class Meta:
        name = "RequestContactVerificationPayload"
        description = "向新的手机号码或邮箱发送验证码"

    class Arguments:
        channel = CodeChannel(required=True, description="SMS 验证手机号码，EMAIL 验证邮箱")
        value = graphene.String(required=True, description="手机号码或电子邮箱")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    verification_id = graphene.String(description="验证请求编号，确认时使用")
    destination = graphene.String(description="接收验证码的地址（已遮盖）")

    @staticmethod
    def mutate(root, info, channel, value: str):
        user = stepup.require_recent_authentication(info)
        try:
            token, destination = recovery.request_contact_verification(user, _value(channel), value)
        except AccountError as error:
            return RequestContactVerification(errors=field_errors(error.errors))
        return RequestContactVerification(errors=[], verification_id=token, destination=destination)


class ConfirmContactVerification(graphene.Mutation):
    class Meta:
        name = "ConfirmContactVerificationPayload"
        description = "以收到的验证码确认手机号码或邮箱"

    class Arguments:
        verification_id = graphene.String(required=True, description="验证请求编号")
        code = graphene.String(required=True, description="收到的验证码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, verification_id: str, code: str):
        user = stepup.require_recent_authentication(info)
        try:
            recovery.confirm_contact_verification(
                user, verification_id, code, request_info=_request_info(info.context)
            )
        except AccountError as error:
            return ConfirmContactVerification(errors=field_errors(error.errors))
        return ConfirmContactVerification(errors=[])


# --- Account recovery ---------------------------------------------------------------------


class RequestPasswordRecovery(graphene.Mutation):
    class Meta:
        name = "RequestPasswordRecoveryPayload"
        description = "找回密码第一步；无论账号是否存在，成功时的回复都相同"

    class Arguments:
        username = graphene.String(required=True, description="用户名")
        channel = CodeChannel(required=True, description="接收验证码的方式")
        captcha_id = graphene.String(required=True, description="图形验证码编号")
        captcha_answer = graphene.String(required=True, description="图形验证码答案")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    recovery_id = graphene.String(description="找回请求编号，重设密码时使用")
    message = graphene.String(description="提示语")

    @staticmethod
    def mutate(root, info, username: str, channel, captcha_id: str, captcha_answer: str):
        try:
            token = recovery.request_recovery(
                info.context, username, _value(channel), captcha_id, captcha_answer
            )
        except AccountError as error:
            return RequestPasswordRecovery(errors=field_errors(error.errors))
        return RequestPasswordRecovery(
            errors=[], recovery_id=token, message=recovery.recovery_sent_message()
        )


class ResetPasswordWithCode(graphene.Mutation):
    class Meta:
        name = "ResetPasswordWithCodePayload"
        description = "找回密码第二步：以验证码设置新密码；成功后所有设备退出登录"

    class Arguments:
        recovery_id = graphene.String(required=True, description="找回请求编号")
        code = graphene.String(required=True, description="收到的验证码")
        new_password = graphene.String(required=True, description="新密码")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, recovery_id: str, code: str, new_password: str):
        try:
            recovery.reset_password_with_code(info.context, recovery_id, code, new_password)
        except AccountError as error:
            return ResetPasswordWithCode(errors=field_errors(error.errors))
        return ResetPasswordWithCode(errors=[])


# --- Online sessions ---------------------------------------------------------------------


class OnlineSessionType(graphene.ObjectType):
    id = graphene.ID(required=True, description="会话编号")
    channel = graphene.Field(LoginChannel, required=True, description="登录渠道")
    ip_address = graphene.String(description="登录时的 IP 地址")
    user_agent = graphene.String(required=True, description="客户端标识（浏览器或应用）")
    started_at = graphene.DateTime(required=True, description="登录时间")
    last_seen_at = graphene.DateTime(required=True, description="最近活动时间")
    current = graphene.Boolean(required=True, description="是否为当前这次登录")

    class Meta:
        name = "OnlineSession"
        description = "一次有效的登录（电脑端会话或移动端令牌）"


OnlineSessionPage = page_type(OnlineSessionType, "OnlineSessionPage", "在线会话分页列表")


def _session_type(record: OnlineSession, current: OnlineSession | None) -> OnlineSessionType:
    return OnlineSessionType(
        id=str(record.pk),
        channel=LoginChannel.get(record.channel),
        ip_address=record.ip_address,
        user_agent=record.user_agent,
        started_at=record.started_at,
        last_seen_at=record.last_seen_at,
        current=current is not None and current.pk == record.pk,
    )


def resolve_my_online_sessions(root, info, page=1, page_size=20):
    user = require_business_user(info)
    current = sessions.current_online_session(info.context)
    page_data = paginate(
        sessions.active_sessions(OnlineSession.objects.filter(user=user)), page, page_size
    )
    page_data["items"] = [_session_type(record, current) for record in page_data["items"]]
    return OnlineSessionPage(**page_data)


def _session_pk(value) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    raise PublicError("会话编号无效，请刷新列表后重试。", code="INVALID_ID")


class EndOnlineSession(graphene.Mutation):
    class Meta:
        name = "EndOnlineSessionPayload"
        description = "退出自己的某一次登录（其他设备）"

    class Arguments:
        id = graphene.ID(required=True, description="会话编号")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        record = OnlineSession.objects.filter(user=user, pk=_session_pk(id)).first()
        if record is None:
            # Another user's session behaves like one that does not exist.
            return EndOnlineSession(
                errors=field_errors([("id", "该会话不存在或已结束，请刷新列表。", "not_found")])
            )
        sessions.end_online_session(record)
        audit.record_event(
            "account.session.end",
            actor=audit.business_actor(user),
            request_info=_request_info(info.context),
            object_type="online_session",
            object_id=record.pk,
        )
        current = sessions.current_online_session(info.context)
        if current is not None and current.pk == record.pk:
            if getattr(info.context, "access_token", None) is None:
                info.context.session.flush()
            info.context.business_user = None
        return EndOnlineSession(errors=[])


class EndOtherOnlineSessions(graphene.Mutation):
    class Meta:
        name = "EndOtherOnlineSessionsPayload"
        description = "退出除当前这次以外的全部登录"

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    ended = graphene.Int(description="退出的会话数")

    @staticmethod
    def mutate(root, info):
        user = require_business_user(info)
        current = sessions.current_online_session(info.context)
        ended = sessions.end_all_sessions(user, keep=current)
        audit.record_event(
            "account.session.end_others",
            actor=audit.business_actor(user),
            request_info=_request_info(info.context),
            object_type="business_user",
            object_id=user.pk,
            changes={"sessions_ended": (None, ended)},
        )
        return EndOtherOnlineSessions(errors=[], ended=ended)


class AccountSecurityQuery(graphene.ObjectType):
    captcha = graphene.Field(
        CaptchaType,
        required=True,
        description="获取一张新的图形验证码（公开，按来源地址限制频率）",
        resolver=resolve_captcha,
    )
    account_security = graphene.Field(
        AccountSecurityType,
        required=True,
        description="当前用户的账号安全设置",
        resolver=resolve_account_security,
    )
    my_online_sessions = graphene.Field(
        OnlineSessionPage,
        required=True,
        description="当前用户的在线会话（电脑端和移动端），最近活动的在前",
        resolver=resolve_my_online_sessions,
        **page_arguments(),
    )


class AccountSecurityMutation(graphene.ObjectType):
    verify_login_second_factor = VerifyLoginSecondFactor.Field(
        description="登录第二步：提交动态口令、恢复码或短信/邮件验证码"
    )
    send_login_code = SendLoginCode.Field(description="登录第二步：发送短信或邮件验证码")
    reauthenticate = Reauthenticate.Field(description="敏感操作前重新验证身份")
    send_reauthentication_code = SendReauthenticationCode.Field(
        description="重新验证身份：发送短信或邮件验证码"
    )
    start_totp_enrolment = StartTotpEnrolment.Field(description="开始绑定动态口令（需重新验证身份）")
    confirm_totp_enrolment = ConfirmTotpEnrolment.Field(description="确认绑定动态口令")
    disable_totp = DisableTotp.Field(description="停用动态口令（需重新验证身份）")
    regenerate_recovery_codes = RegenerateRecoveryCodes.Field(description="重新生成恢复码")
    set_message_second_factor = SetMessageSecondFactor.Field(
        description="开启或关闭登录时的短信/邮件验证码"
    )
    request_contact_verification = RequestContactVerification.Field(
        description="验证新的手机号码或邮箱：发送验证码"
    )
    confirm_contact_verification = ConfirmContactVerification.Field(
        description="验证新的手机号码或邮箱：提交验证码"
    )
    request_password_recovery = RequestPasswordRecovery.Field(
        description="找回密码：向已验证的手机号码或邮箱发送验证码"
    )
    reset_password_with_code = ResetPasswordWithCode.Field(description="找回密码：以验证码设置新密码")
    end_online_session = EndOnlineSession.Field(description="退出自己的某一次登录")
    end_other_online_sessions = EndOtherOnlineSessions.Field(
        description="退出除当前这次以外的全部登录"
    )
