package wording

// The account messages: forgotten passwords, password changes and email changes.
func init() {
	messageCases = append(messageCases,
		messageCase{name: "password-reset", file: "password-reset",
			render: func() (Text, error) {
				return PasswordResetEmail(PasswordReset{Name: name, Email: "ada@example.test", BaseURL: base, Token: "TOKEN", ValidMinutes: 60})
			},
			subject: "Reset your NPQ platform password",
			body: `Dear Ada Lovelace,

Someone asked to reset the password of your NPQ platform account (ada@example.test). If it was you, set a new password here:
https://npq.example.test/reset-password/TOKEN

This link works once and expires in 60 minutes. Setting a new password signs you out on every other device.

If you did not ask for this, you can ignore this email: your password stays as it is. Nobody can use the link without access to your email.
`},
		messageCase{name: "password-reset by an admin", file: "password-reset",
			render: func() (Text, error) {
				return PasswordResetEmail(PasswordReset{Name: name, Email: "ada@example.test", BaseURL: base, Token: "TOKEN", ValidMinutes: 60, ByAdmin: true})
			},
			subject: "Reset your NPQ platform password",
			body: `Dear Ada Lovelace,

Your lead provider has sent you this link so you can set a new password for your NPQ platform account (ada@example.test).
https://npq.example.test/reset-password/TOKEN

This link works once and expires in 60 minutes. Setting a new password signs you out on every other device.

If you did not ask for this, you can ignore this email: your password stays as it is. Nobody can use the link without access to your email.
`},
		messageCase{name: "password-changed", file: "password-changed",
			render: func() (Text, error) {
				return PasswordChangedEmail(PasswordChanged{Name: name, Email: "ada@example.test", At: at, ByReset: true, BaseURL: base})
			},
			subject: "Your NPQ platform password has been changed",
			body: `Dear Ada Lovelace,

The password of your NPQ platform account (ada@example.test) was changed on 3 March 2027 at 2:30pm using a forgotten-password link sent to this address. You have been signed out on every other device.

If you did this, you do not need to do anything.

If you did not, someone may have access to your email or your account. Reset your password straight away at https://npq.example.test/forgotten-password and contact your lead provider.
`},
		messageCase{name: "email-change-confirm", file: "email-change-confirm",
			render:  func() (Text, error) { return EmailChangeConfirmEmail(emailChange) },
			subject: "Confirm your new email address for the NPQ platform",
			body: `Dear Ada Lovelace,

You asked to change the email address of your NPQ platform account from ada@example.test to this address. Confirm the change here:
https://npq.example.test/account/email/TOKEN

This link works once and expires in 24 hours. Until you confirm, you keep signing in with ada@example.test.

If you did not ask for this, ignore this email: nothing changes.
`},
		messageCase{name: "email-change-requested", file: "email-change-requested",
			render:  func() (Text, error) { return EmailChangeRequestedEmail(emailChange) },
			subject: "A change of email address was asked for on your NPQ platform account",
			body: `Dear Ada Lovelace,

On 3 March 2027 at 2:30pm someone signed in to your NPQ platform account asked to change its email address from ada@example.test to ada@new.example.test. The change happens only once the link sent to the new address is used.

If this was you, you do not need to do anything.

If it was not, someone else may know your password. Change it straight away at https://npq.example.test/account/password (or reset it at https://npq.example.test/forgotten-password), sign out everywhere else from https://npq.example.test/account, and contact your lead provider.
`},
		messageCase{name: "email-change-taken", file: "email-change-taken",
			render:  func() (Text, error) { return EmailChangeTakenEmail(emailChange) },
			subject: "Someone tried to use your email address on the NPQ platform",
			body: `Dear NPQ platform user,

On 3 March 2027 at 2:30pm the holder of another NPQ platform account asked to change its email address to ada@new.example.test. This address already has an account, so nothing has changed.

If this was you, sign in with this address instead, or ask your lead provider to merge your accounts. If you have forgotten the password, reset it at https://npq.example.test/forgotten-password.

If it was not you, you do not need to do anything.
`},
		messageCase{name: "email-changed", file: "email-changed",
			render:  func() (Text, error) { return EmailChangedEmail(emailChange) },
			subject: "The email address of your NPQ platform account has changed",
			body: `Dear Ada Lovelace,

On 3 March 2027 at 2:30pm the email address of your NPQ platform account changed from ada@example.test to ada@new.example.test. From now on, sign in with ada@new.example.test; emails from the platform go there. You have been signed out on every other device.

If you did not make this change, contact your lead provider straight away.
`},
	)
}

var emailChange = EmailChange{Name: name, OldEmail: "ada@example.test", NewEmail: "ada@new.example.test", At: at, BaseURL: base,
	Token: "TOKEN", ValidHours: 24}
