package programme

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"npq/internal/auth"
)

// EnrolmentRow is one valid row of an enrolment CSV file.
type EnrolmentRow struct {
	Line              int
	Email, Name       string
	Cohort            string
	School            string
	FundingRoute      FundingRoute
	PaymentReceivedOn *time.Time
	StartsOn          *time.Time
}

// Limits on an enrolment CSV file.
const (
	MaxImportRows  = 2000
	MaxImportBytes = 2 << 20
)

// EnrolmentColumns are the columns an enrolment CSV file has, in any order.
var EnrolmentColumns = []string{"email", "full_name", "cohort", "funding_route", "payment_received_on", "start_date", "school"}

// MaxSchool is the longest school name kept, in characters.
const MaxSchool = 200

var requiredColumns = []string{"email", "full_name", "cohort", "funding_route"}

// BadFileError is a problem with the file as a whole (not one row).
type BadFileError string

func (e BadFileError) Error() string { return string(e) }

// ParseEnrolmentCSV reads an enrolment file. It returns the good rows and, separately, every
// problem in every bad row (a file with any problem is not imported). An error is a problem
// with the file as a whole.
func ParseEnrolmentCSV(r io.Reader) ([]EnrolmentRow, []ImportProblem, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, BadFileError("The file could not be read")
	}
	if len(b) > MaxImportBytes {
		return nil, nil, BadFileError("The file must be smaller than 2 MB")
	}
	// A NUL byte is valid UTF-8 but no text: it is what a UTF-16 file is full of, and
	// PostgreSQL refuses it in text.
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, nil, BadFileError("The file must be a CSV file saved as UTF-8")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, BadFileError("The file is empty")
	}
	if err != nil {
		return nil, nil, BadFileError("The file is not a CSV file: " + err.Error())
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !contains(EnrolmentColumns, h) {
			return nil, nil, BadFileError(fmt.Sprintf("The first row has an unknown column “%s”: the columns are %s", h, strings.Join(EnrolmentColumns, ", ")))
		}
		if _, dup := col[h]; dup {
			return nil, nil, BadFileError(fmt.Sprintf("The column “%s” appears twice", h))
		}
		col[h] = i
	}
	for _, h := range requiredColumns {
		if _, ok := col[h]; !ok {
			return nil, nil, BadFileError(fmt.Sprintf("The first row must name the columns; “%s” is missing", h))
		}
	}
	var rows []EnrolmentRow
	var problems []ImportProblem
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, ImportProblem{Line: line, Problems: []string{"This row is not valid CSV: " + err.Error()}})
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // blank line
		}
		if len(rows)+len(problems) >= MaxImportRows {
			return nil, nil, BadFileError(fmt.Sprintf("The file has more than %d rows: split it into smaller files", MaxImportRows))
		}
		row := EnrolmentRow{Line: line, Email: auth.NormaliseEmail(get("email")), Name: get("full_name"), Cohort: get("cohort"), School: get("school"),
			FundingRoute: FundingRoute(strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(get("funding_route"))))}
		var ps []string
		if p := auth.EmailProblem(get("email")); p != "" {
			ps = append(ps, p)
		} else if first, dup := seen[row.Email]; dup {
			ps = append(ps, fmt.Sprintf("The email address is also on line %d", first))
		} else {
			seen[row.Email] = line
		}
		if p := auth.NameProblem(row.Name); p != "" {
			ps = append(ps, p)
		}
		if row.Cohort == "" {
			ps = append(ps, "Enter the cohort")
		}
		if utf8.RuneCountInString(row.School) > MaxSchool {
			ps = append(ps, fmt.Sprintf("School must be %d characters or fewer", MaxSchool))
		}
		if !row.FundingRoute.Valid() {
			ps = append(ps, "Funding route must be scholarship, school_funded or self_funded")
		}
		if v := get("payment_received_on"); v != "" {
			if d, ok := ParseDate(v); ok {
				row.PaymentReceivedOn = &d
			} else {
				ps = append(ps, "Payment received must be a date like 2026-09-30, or empty")
			}
		}
		if v := get("start_date"); v != "" {
			if d, ok := ParseDate(v); ok {
				row.StartsOn = &d
			} else {
				ps = append(ps, "Start date must be a date like 2026-09-30, or empty for the cohort's start")
			}
		}
		if len(ps) > 0 {
			problems = append(problems, ImportProblem{Line: line, Email: get("email"), Problems: ps})
			continue
		}
		rows = append(rows, row)
	}
	if len(rows)+len(problems) == 0 {
		return nil, nil, BadFileError("The file has no rows under its header")
	}
	return rows, problems, nil
}

// ParseDate reads a date written as 2026-09-30 or 30/09/2026.
func ParseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if d, err := time.Parse(layout, strings.TrimSpace(s)); err == nil && d.Year() >= 2000 && d.Year() <= 2100 {
			return d, true
		}
	}
	return time.Time{}, false
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
