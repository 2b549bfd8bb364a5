package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"npq/internal/frameworks"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminCourses(w http.ResponseWriter, r *http.Request) error {
	courses, err := s.programme.Courses(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Courses(courses))
}

func (s *Server) courseFormOptions(r *http.Request, f *admin.CourseForm) error {
	quals, err := s.programme.Qualifications(r.Context())
	if err != nil {
		return err
	}
	f.Qualifications = []components.Option{{Value: "", Label: "Choose a qualification"}}
	for _, q := range quals {
		f.Qualifications = append(f.Qualifications, components.Option{Value: q.Code, Label: q.Name + " (" + q.Code + ")"})
	}
	return nil
}

func (s *Server) adminCourseNew(w http.ResponseWriter, r *http.Request) error {
	f := admin.CourseForm{StudyMonths: "18", AssessmentMonths: "3"}
	if err := s.courseFormOptions(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, admin.CourseNew(f))
}

func (s *Server) adminCourseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := admin.CourseForm{Qualification: field(r, "qualification"), Name: field(r, "name"), Description: field(r, "description"),
		StudyMonths: field(r, "study_months"), AssessmentMonths: field(r, "assessment_months")}
	if err := s.courseFormOptions(r, &f); err != nil {
		return err
	}
	if f.Qualification == "" {
		f.Errors.Add("qualification", "Choose the qualification")
	} else if !hasOption(f.Qualifications, f.Qualification) {
		f.Errors.Add("qualification", "Choose one of the qualifications listed")
	}
	if f.Name == "" {
		f.Errors.Add("name", "Enter the course name")
	}
	f.Errors.Add("name", maxLength("Course name", f.Name, 200))
	f.Errors.Add("description", maxLength("Description", f.Description, 2000))
	study, p1 := wholeNumber("Months of study", f.StudyMonths, 1, 60)
	f.Errors.Add("study_months", p1)
	assess, p2 := wholeNumber("Months for the summative assessment", f.AssessmentMonths, 0, 24)
	f.Errors.Add("assessment_months", p2)
	if f.Errors.Any() {
		return s.invalid(w, r, admin.CourseNew(f))
	}
	id, err := s.programme.CreateCourse(r.Context(), programme.Course{QualificationCode: f.Qualification, Name: f.Name,
		Description: f.Description, StudyMonths: study, AssessmentMonths: assess})
	if errors.Is(err, programme.ErrDuplicateName) {
		f.Errors.Add("name", "There is already a course with this name")
		return s.invalid(w, r, admin.CourseNew(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/courses/"+strconv.FormatInt(id, 10), "Course added: now add its blocks")
}

func (s *Server) coursePage(r *http.Request, courseID int64, bf admin.BlockForm) (admin.CoursePage, error) {
	c, err := s.programme.CourseByID(r.Context(), courseID)
	if err != nil {
		return admin.CoursePage{}, err
	}
	blocks, err := s.programme.CourseStructure(r.Context(), courseID)
	if err != nil {
		return admin.CoursePage{}, err
	}
	var items []programme.Item
	for _, b := range blocks {
		for _, it := range b.Items {
			if !b.Archived && !it.Archived {
				items = append(items, it.Item)
			}
		}
	}
	v := admin.CoursePage{Course: c, Blocks: blocks, BlockForm: bf}
	overview := programme.Overview(items)
	for _, cat := range programme.OverviewCategories {
		if overview[cat] > 0 || cat != programme.OverviewCoaching {
			v.Overview = append(v.Overview, admin.OverviewLine{Category: cat, Minutes: overview[cat]})
			v.Total += overview[cat]
		}
	}
	return v, nil
}

func (s *Server) adminCourse(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "course")
	if err != nil {
		return err
	}
	v, err := s.coursePage(r, id, admin.BlockForm{})
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Course(v))
}

func (s *Server) adminBlockCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "course")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := admin.BlockForm{Title: field(r, "title"), Description: field(r, "description")}
	if f.Title == "" {
		f.Errors.Add("title", "Enter the block title")
	}
	f.Errors.Add("title", maxLength("Block title", f.Title, 200))
	f.Errors.Add("description", maxLength("Description", f.Description, 2000))
	if f.Errors.Any() {
		v, err := s.coursePage(r, id, f)
		if err != nil {
			return err
		}
		return s.invalid(w, r, admin.Course(v))
	}
	if _, err := s.programme.AddBlock(r.Context(), id, f.Title, f.Description); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/courses/"+strconv.FormatInt(id, 10), "Block added: "+f.Title)
}

// itemForm loads the course, block and the statements of the course's frameworks.
func (s *Server) itemForm(r *http.Request) (admin.ItemForm, error) {
	courseID, err := urlID(r, "course")
	if err != nil {
		return admin.ItemForm{}, err
	}
	blockID, err := urlID(r, "block")
	if err != nil {
		return admin.ItemForm{}, err
	}
	c, err := s.programme.CourseByID(r.Context(), courseID)
	if err != nil {
		return admin.ItemForm{}, err
	}
	blocks, err := s.programme.CourseStructure(r.Context(), courseID)
	if err != nil {
		return admin.ItemForm{}, err
	}
	f := admin.ItemForm{CourseID: courseID, BlockID: blockID, Statements: map[string]bool{}}
	found := false
	for _, b := range blocks {
		if b.ID == blockID {
			found = true
			f.BlockTitle = "Block " + strconv.Itoa(b.Position) + ": " + b.Title
			if id := chi.URLParam(r, "item"); id != "" {
				for _, it := range b.Items {
					if strconv.FormatInt(it.ID, 10) == id {
						f.ItemID, f.Kind, f.Title, f.Body = it.ID, string(it.Kind), it.Title, it.Body
						f.Hours = strconv.FormatFloat(float64(it.ExpectedMinutes)/60, 'f', -1, 64)
						f.Required = map[bool]string{true: "yes", false: "no"}[it.Required]
						for _, k := range it.Statements {
							f.Statements[k] = true
						}
					}
				}
				if f.ItemID == 0 {
					return f, errNotFound
				}
			}
		}
	}
	if !found {
		return f, errNotFound
	}
	for _, k := range programme.ItemKinds {
		f.Kinds = append(f.Kinds, components.Option{Value: string(k), Label: k.Label()})
	}
	groups, err := s.statementGroups(r, c.QualificationCode)
	f.StatementGroups = groups
	return f, err
}

// statementGroups lists the statements of a qualification's frameworks, an area at a time,
// for the item form's checkboxes.
func (s *Server) statementGroups(r *http.Request, qualification string) ([]components.CheckboxGroup, error) {
	quals, err := s.programme.Qualifications(r.Context())
	if err != nil {
		return nil, err
	}
	var groups []components.CheckboxGroup
	for _, q := range quals {
		if q.Code != qualification {
			continue
		}
		for _, slug := range q.Frameworks {
			d, err := s.frameworks.FrameworkBySlug(r.Context(), slug)
			if err != nil {
				return nil, err
			}
			for _, a := range frameworks.BuildOutline(d).Areas {
				g := components.CheckboxGroup{Legend: d.QualificationCode + " " + d.Edition + ": " + strconv.Itoa(a.Number) + ". " + a.Title}
				add := func(it *frameworks.Item, prefix string) {
					label := it.Text
					if len([]rune(label)) > 140 {
						label = string([]rune(label)[:140]) + "…"
					}
					g.Options = append(g.Options, components.Option{Value: it.Key, Label: prefix + label})
				}
				for _, it := range a.LearnThat {
					add(it, "Learn that "+it.Label+": ")
				}
				for _, it := range a.LearnHowTo {
					add(it, "Learn how to: ")
					for _, c := range it.Criteria {
						add(c, "Criterion "+c.Label+": ")
					}
				}
				for _, c := range a.OtherCriteria {
					add(c, "Criterion "+c.Label+": ")
				}
				if len(g.Options) > 0 {
					groups = append(groups, g)
				}
			}
		}
	}
	return groups, nil
}

func (s *Server) adminItemForm(w http.ResponseWriter, r *http.Request) error {
	f, err := s.itemForm(r)
	if err != nil {
		return err
	}
	if f.ItemID == 0 {
		f.Required = "yes"
	}
	return s.ok(w, r, admin.ItemEdit(f))
}

// itemFields are the activity form's fields in the order their problems are listed.
var itemFields = []string{"kind", "title", "body", "hours", "required", "statements"}

func (s *Server) adminItemSave(w http.ResponseWriter, r *http.Request) error {
	f, err := s.itemForm(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f.Kind, f.Title, f.Body, f.Hours, f.Required = field(r, "kind"), field(r, "title"), r.PostForm.Get("body"), field(r, "hours"), field(r, "required")
	var keys []string
	f.Statements, keys = chosen(r.PostForm["statements"])
	n := programme.NewItem{Kind: programme.ItemKind(f.Kind), Title: f.Title, Body: f.Body, Required: f.Required == "yes", Statements: keys}
	var ps problem.Problems
	n.ExpectedMinutes = readHours(&ps, "hours", "Expected hours", f.Hours, 100)
	if f.Required != "yes" && f.Required != "no" {
		ps.Add("required", "Say whether participants have to do it")
	}
	ps.Merge(n.Check())
	addProblems(&f.Errors, ps.Sorted(itemFields...))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.ItemEdit(f))
	}
	_, err = s.programme.SaveItem(r.Context(), f.BlockID, f.ItemID, n)
	var unknown programme.UnknownStatementsError
	if errors.As(err, &unknown) {
		f.Errors.Add("statements", "Choose statements from the list: "+strings.Join(unknown, ", ")+" is not a framework statement")
		return s.invalid(w, r, admin.ItemEdit(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/courses/"+strconv.FormatInt(f.CourseID, 10), "Saved "+f.Title)
}
