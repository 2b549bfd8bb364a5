package components

import "strconv"

// TodoItem is one line of a to-do list.
type TodoItem struct {
	Label string // what needs doing, with its count: "3 registers not taken for past events"
	Age   string // how old or how close, in plain words: "oldest 9 days"
	Href  string // the list of exactly those rows
}

// TodoListProps describes a to-do list.
type TodoListProps struct {
	Heading string // "To do"
	Items   []TodoItem
}

func todoHintID(i int) string { return "todo-" + strconv.Itoa(i) + "-hint" }
