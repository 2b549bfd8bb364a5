package lifecycle

// RefundLabel is a withdrawal's refund decision as people say it ("" for none recorded).
func RefundLabel(refund string) string {
	switch refund {
	case "none":
		return "No refund"
	case "partial":
		return "Partial refund"
	case "full":
		return "Full refund"
	}
	return refund
}
