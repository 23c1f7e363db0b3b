/** Word lists for realistic, clearly fictional demo people and companies. */
export interface Region {
  countryCode: string;
  /** Subscriber number: first digit range and length after the country code. */
  firstDigits: readonly string[];
  subscriberLength: number;
  timezone: string;
  language: string;
  cities: readonly { name: string; latitude: number; longitude: number }[];
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
}

export const INDIA: Region = {
  countryCode: '+91',
  firstDigits: ['6', '7', '8', '9'],
  subscriberLength: 10,
  timezone: 'Asia/Kolkata',
  language: 'en-IN',
  cities: [
    { name: 'Bengaluru', latitude: 12.9716, longitude: 77.5946 },
    { name: 'Mumbai', latitude: 19.076, longitude: 72.8777 },
    { name: 'Pune', latitude: 18.5204, longitude: 73.8567 },
    { name: 'Chennai', latitude: 13.0827, longitude: 80.2707 },
  ],
  firstNames: ['Aarav', 'Ananya', 'Vihaan', 'Diya', 'Arjun', 'Ishita', 'Kabir', 'Meera', 'Rohan', 'Saanvi', 'Aditya', 'Priya', 'Karthik', 'Lakshmi', 'Nikhil', 'Pooja', 'Rahul', 'Sneha', 'Varun', 'Zoya', 'Siddharth', 'Kavya', 'Farhan', 'Nandini'],
  lastNames: ['Sharma', 'Iyer', 'Reddy', 'Patel', 'Nair', 'Gupta', 'Menon', 'Rao', 'Kulkarni', 'Banerjee', 'Joshi', 'Khan', 'Mehta', 'Pillai', 'Desai', 'Chatterjee', 'Srinivasan', 'Verma'],
  streets: ['MG Road', 'Brigade Road', 'Linking Road', 'FC Road', 'Anna Salai', 'Residency Road', 'Hill Road', 'Koramangala 5th Block'],
};

export const UNITED_STATES: Region = {
  countryCode: '+1',
  firstDigits: ['2', '3', '4', '5', '6', '7', '8', '9'],
  subscriberLength: 10,
  timezone: 'America/Chicago',
  language: 'en-US',
  cities: [
    { name: 'Chicago', latitude: 41.8781, longitude: -87.6298 },
    { name: 'Austin', latitude: 30.2672, longitude: -97.7431 },
    { name: 'Denver', latitude: 39.7392, longitude: -104.9903 },
    { name: 'Minneapolis', latitude: 44.9778, longitude: -93.265 },
  ],
  firstNames: ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Ethan', 'Harper', 'Daniel', 'Chloé', 'Jackson', 'Grace', 'Owen', 'Zoë', 'Ryan', 'Nora', 'Caleb'],
  lastNames: ['Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Jackson', 'Nguyen', 'Kowalski', 'O’Brien', 'Schmidt', 'Larsen'],
  streets: ['Main Street', 'Oak Avenue', 'Lakeview Drive', 'Congress Avenue', 'Colfax Avenue', 'Hennepin Avenue', 'Wacker Drive', 'Elm Street'],
};

export const COMPANY_WORDS = ['Apex', 'Blue Ridge', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Ironwood', 'Juniper', 'Keystone', 'Lumen', 'Meridian', 'Northstar', 'Orchid', 'Pinnacle', 'Quartz', 'Riverside', 'Summit', 'Tidewater'];
export const COMPANY_KINDS = ['Traders', 'Foods', 'Logistics', 'Clinics', 'Motors', 'Textiles', 'Labs', 'Builders', 'Solar', 'Pharma'];
export const TITLES = ['Sales Executive', 'Account Manager', 'Field Sales Representative', 'Inside Sales Representative', 'Business Development Manager'];
