package lifecycle

import "npq/internal/database"

// Store reads and writes requests, decisions and letters.
type Store struct {
	DB        database.DB
	BaseURL   string
	Signature Signature // who signs the letters
}

// Signature is who signs the lead provider's letters, and where participants write with
// questions about them.
type Signature struct {
	Name, ContactEmail string
}
