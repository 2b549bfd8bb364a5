// Package frameworks loads, validates and stores the NPQ framework content (frameworks/*.yaml)
// and answers the framework browser's and search's queries.
package frameworks

// Catalogue is catalogue.yaml: every qualification the source documents name.
type Catalogue struct {
	Qualifications []Qualification `yaml:"qualifications"`
}

// Qualification is one NPQ (or support programme) in the catalogue.
type Qualification struct {
	Code              string   `yaml:"code"`
	Name              string   `yaml:"name"`
	CourseIdentifier  string   `yaml:"course_identifier"`
	Group             string   `yaml:"group"`
	Status            string   `yaml:"status"`
	WhoFor            string   `yaml:"who_for"`
	EntryRequirements []string `yaml:"entry_requirements"`
	Frameworks        []string `yaml:"frameworks"`
	ContentNote       string   `yaml:"content_note"`
	Sources           []string `yaml:"sources"`
}

// The kinds of framework file.
const (
	KindReformed = "reformed"
	KindCAF2019  = "caf-2019"
)

// Framework is one framework file.
type Framework struct {
	Slug                 string      `yaml:"slug"`
	Qualification        string      `yaml:"qualification"`
	Title                string      `yaml:"title"`
	Edition              string      `yaml:"edition"`
	Kind                 string      `yaml:"kind"`
	Source               string      `yaml:"source"`
	Description          string      `yaml:"description"`
	Notes                []string    `yaml:"notes"`
	Areas                []Area      `yaml:"areas"`
	LeadershipBehaviours []Behaviour `yaml:"leadership_behaviours"`
	Assessment           *Assessment `yaml:"assessment"`
}

// Area is a framework area (reformed) or content area (2019).
type Area struct {
	Number       int      `yaml:"number"`
	Title        string   `yaml:"title"`
	Introduction []string `yaml:"introduction"`
	// Note is an editorial note, required for an area the source names but gives no content.
	Note       string      `yaml:"note"`
	LearnThat  []Statement `yaml:"learn_that"`
	LearnHowTo []HowTo     `yaml:"learn_how_to"`
	Rows       []Row       `yaml:"rows"`
}

// Statement is a numbered "Learn that…" statement.
type Statement struct {
	Number  int      `yaml:"number"`
	Text    string   `yaml:"text"`
	Bullets []string `yaml:"bullets"`
}

// HowTo is a "Learn how to…" practice statement: a lead sentence and its bullets.
type HowTo struct {
	Number  int      `yaml:"number"`
	Lead    string   `yaml:"lead"`
	Bullets []string `yaml:"bullets"`
}

// Row is one "Learn how to" row of a 2019 content-area table.
type Row struct {
	LearnHowTo string      `yaml:"learn_how_to"`
	LearnAbout []string    `yaml:"learn_about"`
	Criteria   []Criterion `yaml:"criteria"`
}

// Criterion is a 2019 assessment criterion such as 1.1.1.
type Criterion struct {
	Code string `yaml:"code"`
	Stem string `yaml:"stem"`
	Text string `yaml:"text"`
}

// Behaviour is one of the seven leadership behaviours.
type Behaviour struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Assessment is a 2019 qualification's assessment task description.
type Assessment struct {
	Summary              string   `yaml:"summary"`
	WordLimit            int      `yaml:"word_limit"`
	Requirements         []string `yaml:"requirements"`
	ProviderRequirements []string `yaml:"provider_requirements"`
	Footnotes            []string `yaml:"footnotes"`
	Tasks                []Task   `yaml:"tasks"`
}

// Task is a task or part of a 2019 assessment.
type Task struct {
	Key          string          `yaml:"key"`
	Name         string          `yaml:"name"`
	Summary      string          `yaml:"summary"`
	Setting      string          `yaml:"setting"`
	WordLimit    int             `yaml:"word_limit"`
	Requirements []string        `yaml:"requirements"`
	ContentAreas []int           `yaml:"content_areas"`
	Criteria     []TaskCriterion `yaml:"criteria"`
}

// TaskCriterion is one row of a task's assessment-criteria table.
type TaskCriterion struct {
	Code                string   `yaml:"code"`
	SupportingDocuments []string `yaml:"supporting_documents"`
	Text                string   `yaml:"text"`
}

// Library is everything in frameworks/: the catalogue and the frameworks by file order.
type Library struct {
	Catalogue  Catalogue
	Frameworks []Framework
	// Hash identifies the exact file contents, so an unchanged library need not be imported again.
	Hash string
}
