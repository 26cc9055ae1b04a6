//go:build mage

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var mdLink = regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`)

// checkDocLinks fails when a relative link of the markdown file points nowhere.
func checkDocLinks(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var missing []string
	for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		if !exists(filepath.Join(filepath.Dir(file), target)) {
			missing = append(missing, target)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s links to missing files: %s", file, strings.Join(missing, ", "))
	}
	fmt.Println("docs: every link of README.md resolves")
	return nil
}
