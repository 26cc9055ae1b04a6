package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// plotPanel is one chart: a metric against subscriber count.
type plotPanel struct {
	title string
	value func(*fanoutMedian) float64
}

// plotColors per server.
var plotColors = map[string]string{"pogo": "#1f77b4", "naive": "#ff7f0e", "frankenphp": "#2ca02c"}

// plotSVG draws three panels (deliveries/s, server CPU per delivery, p99)
// against subscribers (log scale) from the fanout medians, one line per
// server. It returns a self-contained SVG document.
func plotSVG(rs []fanoutResult) string {
	keys, med := summarizeFanout(rs)
	panels := []plotPanel{
		{"deliveries/s", func(m *fanoutMedian) float64 { return m.perSec }},
		{"server CPU per delivery (µs)", func(m *fanoutMedian) float64 { return m.cpuNs / 1e3 }},
		{"p99 latency, flat out (ms)", func(m *fanoutMedian) float64 { return m.p99 / 1e3 }},
	}
	const w, h, pw = 960, 330, 300
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	servers := serversOf(keys, func(k fanoutKey) string { return k.server })
	for i, p := range panels {
		drawPanel(&b, float64(10+i*(pw+20)), 20, pw, 250, p, keys, med, servers)
	}
	for i, s := range servers {
		x := 20 + i*120
		fmt.Fprintf(&b, `<line x1="%d" y1="310" x2="%d" y2="310" stroke="%s" stroke-width="2"/><text x="%d" y="314">%s</text>`+"\n", x, x+20, color(s), x+25, s)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// drawPanel draws one panel with its axes at (x0, y0), size pw x ph.
func drawPanel(b *strings.Builder, x0, y0, pw, ph float64, p plotPanel, keys []fanoutKey, med map[fanoutKey]*fanoutMedian, servers []string) {
	left, bottom := x0+50, y0+ph-25
	right, top := x0+pw-5, y0+20
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" font-weight="bold">%s</text>`+"\n", left, y0+10, p.title)
	fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, left, bottom, right, bottom)
	fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", left, bottom, left, top)
	var subs []int
	ymax := 0.0
	for _, k := range keys {
		if !containsInt(subs, k.subs) {
			subs = append(subs, k.subs)
		}
		ymax = math.Max(ymax, p.value(med[k]))
	}
	sort.Ints(subs)
	if len(subs) == 0 || ymax == 0 {
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f">no data</text>`+"\n", left+20, (top+bottom)/2)
		return
	}
	ymax *= 1.1
	lo, hi := math.Log10(float64(subs[0])), math.Log10(float64(subs[len(subs)-1]))
	xOf := func(n int) float64 {
		if hi == lo {
			return (left + right) / 2
		}
		return left + 10 + (math.Log10(float64(n))-lo)/(hi-lo)*(right-left-20)
	}
	yOf := func(v float64) float64 { return bottom - v/ymax*(bottom-top) }
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="end">%s</text>`+"\n", left-4, yOf(v)+4, short(v))
	}
	for _, n := range subs {
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle">%d</text>`+"\n", xOf(n), bottom+14, n)
	}
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle">subscribers</text>`+"\n", (left+right)/2, bottom+26)
	for _, s := range servers {
		var pts []string
		for _, n := range subs {
			if m, ok := med[fanoutKey{s, n}]; ok {
				x, y := xOf(n), yOf(p.value(m))
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x, y, color(s))
			}
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", color(s), strings.Join(pts, " "))
	}
}

func color(server string) string {
	if c, ok := plotColors[server]; ok {
		return c
	}
	return "#555555"
}

// short formats an axis value compactly (1.2k, 3.4M).
func short(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 10:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.2g", v)
	}
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
