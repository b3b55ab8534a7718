package story

import (
	"math"
	"time"
)

// Score ranks a story for the front page. Breadth (distinct outlets, then
// countries) dominates so one prolific site cannot push a story up; recency
// decays with a 12-hour half-life from the last article; velocity (articles per
// hour over the story's span, capped) lifts stories that are breaking now.
// Callers should count syndicated copies (Assignment.CopyOf != 0) once.
func Score(outlets, countries, articles int, first, last time.Time, now time.Time) float64 {
	if articles <= 0 {
		return 0
	}
	breadth := math.Log1p(float64(max(outlets, 1))) + 0.5*math.Log1p(float64(max(countries, 0))) +
		0.1*math.Log1p(float64(articles))
	age := now.Sub(last).Hours()
	if age < 0 {
		age = 0
	}
	recency := math.Exp2(-age / 12)
	span := last.Sub(first).Hours()
	if span < 1 {
		span = 1
	}
	velocity := math.Min(float64(articles)/span, 10)
	return breadth * recency * (1 + 0.1*velocity)
}

// Rank is Score in a form that can be stored once and sorted on forever: the
// logarithm of Score with the query time dropped. Because recency decays
// exponentially, log Score(now) = Rank − ln2·now/12h, and the subtracted term
// is the same for every story at a given now, so ordering by Rank is
// ordering by Score at any moment, without rescoring stories as they age.
func Rank(outlets, countries, articles int, first, last time.Time) float64 {
	if articles <= 0 {
		return math.Inf(-1)
	}
	breadth := math.Log1p(float64(max(outlets, 1))) + 0.5*math.Log1p(float64(max(countries, 0))) +
		0.1*math.Log1p(float64(articles))
	span := last.Sub(first).Hours()
	if span < 1 {
		span = 1
	}
	velocity := math.Min(float64(articles)/span, 10)
	hours := float64(last.Unix()) / 3600
	return math.Log(breadth) + math.Log1p(0.1*velocity) + math.Ln2*hours/12
}
