import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <main id="main" className="splash">
      <title>Not found · MicroNote</title>
      <div className="empty-state">
        <h1 className="empty-state-title">This page does not exist</h1>
        <p>
          <Link to="/notes">Go to your notes</Link>
        </p>
      </div>
    </main>
  );
}
