package dfefake

import (
	"fmt"
	"time"
)

// SeedDemo fills the fake with what a local trial needs: delivery partners, a statement
// calendar for the cohort around now, and pending applications for several courses.
func (s *Server) SeedDemo(now time.Time) {
	cohort := fmt.Sprint(now.Year())
	s.AddDeliveryPartner("Barnsley and Doncaster Teaching School Hub", cohort)
	s.AddDeliveryPartner("Camden Learning", cohort)
	for i := -2; i <= 9; i++ {
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
		cutOff := month.AddDate(0, 1, -1)
		s.AddStatement(Statement{
			Cohort: cohort, Month: month.Format("January"), Year: month.Format("2006"),
			CutOff: cutOff, PaymentDate: cutOff.AddDate(0, 0, 25), Paid: cutOff.AddDate(0, 0, 25).Before(now),
		})
	}
	people := []struct{ name, email, course string }{
		{"Amara Okafor", "amara.okafor@school.example", "npq-headship"},
		{"Tom Birch", "tom.birch@school.example", "npq-senior-leadership"},
		{"Priya Shah", "priya.shah@school.example", "npq-leading-teaching"},
		{"Owen Price", "owen.price@school.example", "npq-executive-leadership"},
		{"Hannah Lewis", "hannah.lewis@school.example", "npq-senco"},
	}
	for i, p := range people {
		s.AddApplication(Application{FullName: p.name, Email: p.email, Course: p.course, Cohort: cohort,
			SchoolURN: fmt.Sprint(106000 + i), TRN: fmt.Sprint(1000000 + i)})
	}
}
