package wording

// The two-step sign-in messages.
func init() {
	messageCases = append(messageCases,
		messageCase{name: "two-step-reset", file: "two-step-reset",
			render: func() (Text, error) {
				return TwoStepResetEmail(TwoStepNotice{Name: name, Email: "ada@example.test", At: at, BaseURL: base})
			},
			subject: "Your NPQ platform two-step sign-in has been reset",
			body: `Dear Ada Lovelace,

An administrator of your lead provider reset two-step sign-in for your NPQ platform account (ada@example.test) on 3 March 2027 at 2:30pm. Your authenticator app's codes and your recovery codes no longer work.

Next time you sign in, set up two-step sign-in again from My account at https://npq.example.test/account/two-step.

If you did not ask for this, contact your lead provider straight away.
`},
		messageCase{name: "two-step-off", file: "two-step-off",
			render: func() (Text, error) {
				return TwoStepOffEmail(TwoStepNotice{Name: name, Email: "ada@example.test", At: at, BaseURL: base})
			},
			subject: "Two-step sign-in is off for your NPQ platform account",
			body: `Dear Ada Lovelace,

Two-step sign-in was turned off for your NPQ platform account (ada@example.test) on 3 March 2027 at 2:30pm. From now on you sign in with your password alone, and your recovery codes no longer work.

You can turn it on again from My account at https://npq.example.test/account/two-step.

If you did not do this, set a new password at https://npq.example.test/forgotten-password and contact your lead provider straight away.
`},
		messageCase{name: "two-step-email-code", file: "two-step-email-code",
			render: func() (Text, error) {
				return TwoStepEmailCodeEmail(TwoStepEmailCode{Name: name, Code: "042917", Minutes: 15, At: at, BaseURL: base})
			},
			subject: "Your NPQ platform sign-in code: 042917",
			body: `Dear Ada Lovelace,

Your password was used to sign in to your NPQ platform account on 3 March 2027 at 2:30pm. Your role needs two-step sign-in, which is not set up yet. To carry on and set it up, enter this code on the sign-in page:

042917

The code works once, for 15 minutes.

If this was not you, someone knows your password: set a new one at https://npq.example.test/forgotten-password and tell your lead provider straight away.
`})
}
