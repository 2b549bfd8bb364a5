package admin

import (
	"github.com/a-h/templ"

	"npq/web/components"
)

// PartnerForm is the add/edit delivery partner form.
type PartnerForm struct {
	ID                                      int64
	Name, ContactName, ContactEmail, Region string
	Errors                                  components.Errors
	// DfE is the partner's DfE id and the form that changes it (DfEPartnerID), when editing.
	DfE templ.Component
}
