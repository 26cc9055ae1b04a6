package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// table is a titled grid rendered as aligned text or as Markdown.
type table struct {
	title string
	head  []string
	rows  [][]string
	notes []string
}

// add appends a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// text writes t with space-aligned columns.
func (t *table) text(w io.Writer) {
	width := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			if i < len(width) && len(c) > width[i] {
				width[i] = len(c)
			}
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, c := range r {
			if i < len(width) {
				fmt.Fprintf(&b, "%-*s  ", width[i], c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "\n== %s\n", t.title)
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
	for _, n := range t.notes {
		fmt.Fprintln(w, "  "+n)
	}
}

// markdown writes t as a Markdown section.
func (t *table) markdown(w io.Writer) {
	fmt.Fprintf(w, "\n### %s\n\n", t.title)
	if len(t.rows) == 0 {
		fmt.Fprintln(w, "Not run.")
		return
	}
	fmt.Fprintln(w, "| "+strings.Join(t.head, " | ")+" |")
	fmt.Fprintln(w, "|"+strings.Repeat("---|", len(t.head)))
	for _, r := range t.rows {
		fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
	}
	if len(t.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range t.notes {
			fmt.Fprintln(w, n+"  ")
		}
	}
}

// Formatting helpers.
func fint(v float64) string { return fmt.Sprintf("%.0f", v) }

func fdur(usec float64) string {
	switch {
	case usec >= 1e6:
		return fmt.Sprintf("%.2f s", usec/1e6)
	case usec >= 1e3:
		return fmt.Sprintf("%.2f ms", usec/1e3)
	default:
		return fmt.Sprintf("%.0f µs", usec)
	}
}

func fns(ns float64) string {
	if ns >= 1e3 {
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func fbytes(b float64) string {
	if b >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.2f KiB", b/1024)
}

func fratio(r float64) string {
	if r == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", r)
}

// summaryJSON is t as one JSON line: {"scenario": first word of the
// title, "summary": [{column: cell}], "notes": [...]}.
func (t *table) summaryJSON() string {
	key, _, _ := strings.Cut(t.title, " ")
	rows := make([]map[string]string, 0, len(t.rows))
	for _, r := range t.rows {
		m := map[string]string{}
		for i, c := range r {
			if i < len(t.head) {
				m[t.head[i]] = c
			}
		}
		rows = append(rows, m)
	}
	b, _ := json.Marshal(map[string]any{"scenario": strings.TrimSuffix(key, ":"), "summary": rows, "notes": t.notes})
	return string(b)
}
