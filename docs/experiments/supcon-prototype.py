# PyTorch prototype of the genre term (docs/model.md, "Session 3"): same preprocessing as MusicDna (scikit-learn
# Yeo-Johnson + min-max fitted on the 80 % training split), an autoencoder with optional SupCon / cross-entropy
# terms, scored like `musicdna evaluate` (held-out MSE, k-means k=5 silhouette on a 10,000 sample, agreement@10).
# Run with Debian's interpreter: /usr/bin/python3 docs/experiments/supcon-prototype.py --supcon 0.1 --tau 0.5 --modeclass 1
# Session-4 options (all off by default): --macro K --macrow W (a second SupCon term over K k-means groups of genre
# centroids), --sphere 1 (the decoder reads the L2-normalised code), --pk P,K (class-balanced contrastive batches),
# --align W (pull same-class codes together with no uniformity term), --warm N (reconstruction only for N epochs),
# --final 1 (score the last epoch's weights, not the best validation MSE). agree_c: agreement of the centred latents.
# One JSON line per run; supcon-prototype.jsonl holds the runs of the table.
import sys, time, json, argparse, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.preprocessing import PowerTransformer, MinMaxScaler
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
p = argparse.ArgumentParser()
p.add_argument('--hidden', default='128,64'); p.add_argument('--epochs', type=int, default=60)
p.add_argument('--batch', type=int, default=256); p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--supcon', type=float, default=0.0); p.add_argument('--tau', type=float, default=0.1)
p.add_argument('--ce', type=float, default=0.0); p.add_argument('--latent', type=int, default=6)
p.add_argument('--threads', type=int, default=1); p.add_argument('--patience', type=int, default=5)
p.add_argument('--warm', type=int, default=0); p.add_argument('--macro', type=int, default=0); p.add_argument('--macrow', type=float, default=0.0); p.add_argument('--macrotau', type=float, default=0.5); p.add_argument('--macromode', type=int, default=0); p.add_argument('--sphere', type=int, default=0); p.add_argument('--pk', default=''); p.add_argument('--align', type=float, default=0.0); p.add_argument('--final', type=int, default=0); p.add_argument('--modeclass', type=int, default=0)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(42); rng = np.random.default_rng(42)
F12 = ['danceability','energy','valence','tempo','loudness','key','mode','acousticness','instrumentalness','liveness','speechiness','time_signature']
rows = {}
for r in csv.DictReader(open('/work/shared/data/spotify_tracks.csv')):
    rows.pop(r['track_id'], None); rows[r['track_id']] = r
rows = list(rows.values())
X = np.array([[float(r[f]) for f in F12] for r in rows]); gn = {}
g = np.array([gn.setdefault(r['track_genre'], len(gn)) for r in rows])
n = len(rows); perm = rng.permutation(n); ntr = int(n*0.8); tr, te = perm[:ntr], perm[ntr:]
pt = PowerTransformer(); mm = MinMaxScaler()
S = np.clip(mm.fit(pt.fit(X[tr]).transform(X[tr])).transform(pt.transform(X)), 0, 1).astype(np.float32)
nval = int(ntr*0.1); va, fit = tr[:nval], tr[nval:]
def mlp(w, final):
    L = []
    for i in range(len(w)-1):
        L.append(nn.Linear(w[i], w[i+1]))
        if i < len(w)-2: L.append(nn.ReLU())
    if final: L.append(final)
    return nn.Sequential(*L)
class Norm(nn.Module):
    def forward(self, z): return F.normalize(z, dim=1)
h = [int(x) for x in a.hidden.split(',')]
enc = mlp([12]+h+[a.latent], None); dec = mlp([a.latent]+h[::-1]+[12], nn.Sigmoid())
if a.sphere: dec = nn.Sequential(Norm(), dec)
head = nn.Linear(a.latent, g.max()+1)
opt = torch.optim.Adam(list(enc.parameters())+list(dec.parameters())+list(head.parameters()), lr=a.lr)
lab = g*2 + X[:, 6].astype(int) if a.modeclass else g
cent = np.stack([S[tr][g[tr]==c].mean(0) if (g[tr]==c).any() else np.zeros(12) for c in range(g.max()+1)])
if a.macro:
    grp = KMeans(a.macro, n_init=10, random_state=0).fit(cent).labels_
    mlab = grp[g] * (2 if a.macromode else 1) + (X[:,6].astype(int) if a.macromode else 0)
else: mlab = g
mf = torch.tensor(mlab[fit])
Xf = torch.tensor(S[fit]); gf = torch.tensor(lab[fit]); Xv = torch.tensor(S[va])
def align(z, y):
    z = F.normalize(z, dim=1); n = z.shape[0]; eye = torch.eye(n, dtype=torch.bool)
    pos = (y[:, None] == y[None, :]) & ~eye
    if pos.sum() == 0: return z.sum()*0
    return (1 - (z @ z.T)[pos]).mean()
def supcon(z, y, tau):
    z = F.normalize(z, dim=1); sim = z @ z.T / tau
    n = z.shape[0]; eye = torch.eye(n, dtype=torch.bool)
    sim = sim.masked_fill(eye, -1e9)
    logp = sim - torch.logsumexp(sim, dim=1, keepdim=True)
    pos = (y[:, None] == y[None, :]) & ~eye
    cnt = pos.sum(1); m = cnt > 0
    return -((logp * pos).sum(1)[m] / cnt[m]).mean()
if a.pk:
    P, K = [int(x) for x in a.pk.split(',')]
    labf = lab[fit]; bycls = {}
    for i, c in enumerate(labf): bycls.setdefault(c, []).append(i)
    cls = np.array([c for c, v in bycls.items() if len(v) >= 2]); bycls = {c: np.array(v) for c, v in bycls.items()}
    prng = np.random.default_rng(3)
    def pkbatch():
        cs = prng.choice(cls, P, replace=False)
        return np.concatenate([prng.choice(bycls[c], K, replace=len(bycls[c]) < K) for c in cs])
best = 1e9; bad = 0; t0 = time.time(); state = None
for ep in range(a.epochs):
    enc.train(); dec.train()
    order = torch.randperm(len(fit))
    w = a.supcon if ep >= a.warm else 0.0
    for s in range(0, len(fit), a.batch):
        idx = order[s:s+a.batch]; xb = Xf[idx]; z = enc(xb)
        loss = F.mse_loss(dec(z), xb)
        if w > 0 and not a.pk: loss = loss + w * supcon(z, gf[idx], a.tau)
        if w > 0 and a.pk:
            pb = torch.tensor(pkbatch()); loss = loss + w * supcon(enc(Xf[pb]), gf[pb], a.tau)
        if a.align > 0: loss = loss + a.align * align(z, gf[idx])
        if a.macrow > 0: loss = loss + a.macrow * supcon(z, mf[idx], a.macrotau)
        if a.ce > 0: loss = loss + a.ce * F.cross_entropy(head(z), gf[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    enc.eval(); dec.eval()
    with torch.no_grad(): v = F.mse_loss(dec(enc(Xv)), Xv).item()
    if v < best or a.final: best = min(v, best); bad = 0; state = ([q.clone() for q in enc.parameters()], [q.clone() for q in dec.parameters()])
    else:
        bad += 1
        if a.patience and bad >= a.patience and ep >= a.warm: break
secs = time.time()-t0
with torch.no_grad():
    for p_, s_ in zip(enc.parameters(), state[0]): p_.copy_(s_)
    for p_, s_ in zip(dec.parameters(), state[1]): p_.copy_(s_)
    Z = enc(torch.tensor(S)).numpy(); Xt = torch.tensor(S[te]); mse = F.mse_loss(dec(enc(Xt)), Xt).item()
def agree(V, qs):
    V = V / np.linalg.norm(V, axis=1, keepdims=True).clip(1e-12)
    tot = 0
    for c in range(0, len(qs), 500):
        q = qs[c:c+500]; sim = V[q] @ V.T; sim[np.arange(len(q)), q] = -9
        nn_ = np.argpartition(-sim, 10, axis=1)[:, :10]
        tot += (g[nn_] == g[q][:, None]).sum()
    return float(100 * tot / (len(qs)*10))
qr = np.random.default_rng(7)
qa = qr.choice(n, 2000, replace=False); qh = qr.choice(te, 2000, replace=False); qt = qr.choice(tr, 2000, replace=False)
Zn = Z / np.linalg.norm(Z, axis=1, keepdims=True)
sm = np.random.default_rng(1).choice(n, 10000, replace=False)
sil = float(silhouette_score(Zn[sm], KMeans(5, n_init=3, random_state=0).fit(Zn).predict(Zn[sm])))
res = dict(args=vars(a), epochs=ep+1, secs=round(secs,1), mse=round(mse,5), sil5=round(sil,3),
  agree=round(agree(Z, qa),2), held=round(agree(Z, qh),2), trained=round(agree(Z, qt),2), agree_c=round(agree(Z-Z[tr].mean(0), qa),2))
print(json.dumps(res)); sys.stdout.flush()
