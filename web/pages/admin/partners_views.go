package admin

import (
	"npq/web/components"
)

// PartnerForm is the add/edit delivery partner form.
type PartnerForm struct {
	ID                                      int64
	Name, ContactName, ContactEmail, Region string
	Errors                                  components.Errors
}
