export function App() { return <main>Sidecase</main>; }
