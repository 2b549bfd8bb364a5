package frameworks

import "strconv"

// Outline is a framework arranged for reading: areas with their statements nested.
type Outline struct {
	Areas []*AreaOutline
	// Tasks lists each task's key and name, to link criteria to the tasks that assess them.
	Tasks []TaskRef
}

// AreaOutline is one area with its statements.
type AreaOutline struct {
	AreaDetail
	Anchor     string
	LearnThat  []*Item
	LearnHowTo []*Item // reformed practice groups, or 2019 table rows
	// Criteria printed only in an assessment table, with no row in the content area.
	OtherCriteria []*Item
}

// Item is a statement with what hangs off it.
type Item struct {
	Key, Anchor, Label, Stem, Text string
	Bullets                        []*Item
	LearnAbout                     []*Item
	Criteria                       []*Item
	AssessedIn                     []TaskRef
}

// TaskRef points at a task of the assessment.
type TaskRef struct {
	Key, Name, Anchor string
}

// AreaAnchor is the id of an area on its framework page.
func AreaAnchor(number int) string { return "area-" + strconv.Itoa(number) }

// TaskAnchor is the id of a task on its framework page.
func TaskAnchor(key string) string { return "task-" + key }

// BuildOutline nests a framework's statements under their areas and parents, and links
// each criterion to the tasks that assess it.
func BuildOutline(d FrameworkDetail) Outline {
	var o Outline
	byNumber := map[int]*AreaOutline{}
	for _, a := range d.Areas {
		ao := &AreaOutline{AreaDetail: a, Anchor: AreaAnchor(a.Number)}
		o.Areas = append(o.Areas, ao)
		byNumber[a.Number] = ao
	}
	assessedIn := map[string][]TaskRef{}
	if d.Assessment != nil {
		for _, t := range d.Assessment.Tasks {
			ref := TaskRef{Key: t.Key, Name: t.Name, Anchor: TaskAnchor(t.Key)}
			o.Tasks = append(o.Tasks, ref)
			for _, c := range t.Criteria {
				assessedIn[c.CriterionKey] = append(assessedIn[c.CriterionKey], ref)
			}
		}
	}
	items := map[string]*Item{}
	for _, st := range d.Statements {
		it := &Item{Key: st.Key, Anchor: Anchor(st.Key), Label: st.Label, Stem: st.Stem, Text: st.Text, AssessedIn: assessedIn[st.Key]}
		items[st.Key] = it
		area := byNumber[st.AreaNumber]
		if area == nil {
			continue
		}
		var parent *Item
		if st.ParentKey != nil {
			parent = items[*st.ParentKey]
		}
		switch {
		case st.Kind == StatementLearnThat:
			area.LearnThat = append(area.LearnThat, it)
		case st.Kind == StatementLearnHowTo:
			area.LearnHowTo = append(area.LearnHowTo, it)
		case parent == nil && st.Kind == StatementCriterion:
			area.OtherCriteria = append(area.OtherCriteria, it)
		case parent == nil:
			continue
		case st.Kind == StatementBullet:
			parent.Bullets = append(parent.Bullets, it)
		case st.Kind == StatementLearnAbout:
			parent.LearnAbout = append(parent.LearnAbout, it)
		case st.Kind == StatementCriterion:
			parent.Criteria = append(parent.Criteria, it)
		}
	}
	return o
}
