/**
 * Which schema.org types describe someone a customer can be: a Person, or an
 * organisation, including the LocalBusiness family whose type names say
 * what the business does rather than that it is one ("Restaurant",
 * "Pharmacy", "Hotel"). Shared by the JSON-LD, microdata and RDFa extractors.
 */

// Organization and LocalBusiness subtypes whose names carry no "Organization"/"Business"/"Store" suffix.
const ORGANIZATION_TYPES = new Set([
  'Organization', 'Corporation', 'NGO', 'Airline', 'Consortium', 'Cooperative', 'FundingScheme', 'LibrarySystem',
  'NewsMediaOrganization', 'PerformingGroup', 'MusicGroup', 'DanceGroup', 'TheaterGroup', 'SportsTeam',
  'ResearchProject', 'Project', 'WorkersUnion', 'PoliticalParty', 'ProfessionalService', 'OnlineStore',
  // LocalBusiness and its families.
  'LocalBusiness', 'FoodEstablishment', 'Restaurant', 'Bakery', 'BarOrPub', 'Brewery', 'CafeOrCoffeeShop',
  'Distillery', 'FastFoodRestaurant', 'IceCreamShop', 'Winery', 'MedicalBusiness', 'Pharmacy', 'Dentist',
  'Physician', 'Optician', 'MedicalClinic', 'Hospital', 'LodgingBusiness', 'Hotel', 'Motel', 'Hostel', 'Resort',
  'BedAndBreakfast', 'Campground', 'AutomotiveBusiness', 'AutoDealer', 'AutoRepair', 'AutoRental', 'GasStation',
  'DryCleaningOrLaundry', 'FinancialService', 'BankOrCreditUnion', 'InsuranceAgency', 'AccountingService',
  'LegalService', 'Attorney', 'Notary', 'RealEstateAgent', 'TravelAgency', 'EmploymentAgency', 'Library',
  'HealthAndBeautyBusiness', 'BeautySalon', 'DaySpa', 'HairSalon', 'NailSalon', 'TattooParlor', 'HomeAndConstructionBusiness',
  'Electrician', 'Plumber', 'Locksmith', 'HousePainter', 'HVACBusiness', 'GeneralContractor', 'RoofingContractor',
  'MovingCompany', 'ChildCare', 'AnimalShelter', 'ArchiveOrganization', 'RadioStation', 'TelevisionStation',
  'ShoppingCenter', 'SelfStorage', 'TouristInformationCenter', 'RecyclingCenter', 'InternetCafe', 'ExerciseGym',
  'HealthClub', 'SportsClub', 'SportsActivityLocation', 'EntertainmentBusiness', 'NightClub', 'Casino',
  'AmusementPark', 'ArtGallery', 'BowlingAlley', 'ComedyClub', 'MovieTheater', 'GovernmentOffice', 'PostOffice',
]);

/** "https://schema.org/Person", "schema:Person", "http://schema.org/Person" → "Person". */
export function schemaTypeName(raw: string): string {
  return raw.replace(/^.*[/:#]/, '');
}

export function isPersonType(type: string): boolean {
  return type === 'Person' || type === 'Patient';
}

export function isOrganizationType(type: string): boolean {
  return ORGANIZATION_TYPES.has(type) || /(?:Organization|Business|Store)$/.test(type);
}
