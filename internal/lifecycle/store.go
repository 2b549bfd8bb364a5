package lifecycle

import "npq/internal/database"

// Store reads and writes requests, decisions and letters.
type Store struct {
	DB      database.DB
	BaseURL string
}
