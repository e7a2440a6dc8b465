// Word lists for clearly synthetic people and organizations: common given and family names in Canada
// (English, French and the languages of Ontario's larger communities), employers and plan wording.
// Any resemblance to a real person is the nature of common names; CaMS references say SYN, emails use
// example.com and phone numbers the fictional 555-01xx range.

/** Whitespace-separated words, for lists that read better as prose. */
const words = (text: string) => text.trim().split(/\s+/);

export const GIVEN_NAMES: readonly string[] = words(`
  Olivia Emma Charlotte Amelia Sophia Ava Chloé Léa Emily Sarah Jessica Ashley Jennifer Michelle
  Amanda Stephanie Nicole Melissa Priya Aisha Fatima Mei Ji-woo Maria Ana Gabrielle Marie Isabelle
  Nathalie Linda Susan Karen Deborah Noah Liam William Benjamin Lucas Ethan Jacob Logan Mathieu
  Jean Alexandre Olivier Michael David James Daniel Matthew Christopher Ryan Kevin Jason Mohammed
  Ahmed Omar Arjun Aarav Harpreet Wei Minh Carlos José Tyler Brandon Robert Richard Paul Mark Kyle
  Dylan Tariq Kwame Chidi Sipho
`);

export const FAMILY_NAMES: readonly string[] = words(`
  Smith Brown Tremblay Martin Roy Wilson MacDonald Gagnon Johnson Taylor Campbell Anderson Jones
  Leblanc Lee Williams Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier O'Brien
  Thompson White Scott Stewart Clarke Young Walker Mitchell Patel Singh Kaur Sharma Gill Nguyen
  Tran Wong Chen Li Wang Zhang Kim Park Khan Ali Ahmed Hussain Mohamed Hassan Rodriguez Garcia
  Santos Silva Fernandes Rossi Russo Kowalski Nowak Murray Fraser Reid Ross Graham Boateng Mensah
  Okafor Francis Baptiste Whitehead Cardinal Moose
`);

export const EMPLOYER_KINDS = [
  'Logistics',
  'Grocers',
  'Manufacturing',
  'Home Care Services',
  'Hospitality Group',
  'Construction',
  'Retail',
  'Contact Centre',
  'Cleaning Services',
  'Auto Parts',
  'Food Processing',
  'Dental Clinic',
  'Warehouse',
  'Landscaping',
  'Community Health Centre',
  'Security Services',
  'Print Shop',
  'Bakery',
] as const;

export const GOALS = [
  'Find full-time work in warehousing and logistics',
  'Return to work in retail after a period away',
  'Get a first job and build work experience',
  'Find part-time work that fits around childcare',
  'Move into personal support work',
  'Find stable work in food services',
  'Use previous trade experience in a Canadian workplace',
  'Find office administration work',
  'Start an apprenticeship in the skilled trades',
  'Find work close to home with reliable hours',
] as const;

export const SUB_GOALS = [
  'Prepare a résumé and cover letter',
  'Build interview skills',
  'Complete a short certification',
  'Improve English or French for the workplace',
  'Arrange transportation to work',
  'Search for and apply to suitable jobs',
  'Keep the new job through the first months',
] as const;

export const SERVICES = [
  'Résumé and cover letter workshop',
  'Interview preparation',
  'Job search support',
  'Job matching and placement',
  'Job retention support',
  'Workplace safety certification (WHMIS)',
  'Forklift certification',
  'Smart Serve certification',
  'Transit pass support',
  'Work clothing and tools support',
  'Digital skills workshop',
] as const;

export const ITEM_OUTCOMES = [
  'Completed',
  'Certificate obtained',
  'Résumé finalized',
  'Two interviews arranged',
  'Placement confirmed',
] as const;

export const REFERRAL_NOTES = [
  'Client asked for help with reading and numeracy',
  'Employer training grant explored with the employer',
  'Interested in a trade; information session booked',
  'Youth program better suited to the client',
] as const;
