// The C++ reference peer for the interop tests (schema/src/test/java/.../interop).
//   peer serve <address>           serve Master (prints "listening <port>", then runs until killed)
//   peer hang <address>            register, then block in a long poll until killed
//   peer client <address>          run every Master and Worker method against a Master at <address>,
//                                  printing "OK <step>" lines; exit status 0 when all passed
// Addresses are EzRpc's: "127.0.0.1:0" or "unix:/path". Both sides implement the same fixed
// behaviour as the Java test implementations (InteropMaster / InteropWorker), so one scenario
// checks either direction.
#include "master.capnp.h"
#include "worker.capnp.h"
#include "common.capnp.h"
#include <capnp/ez-rpc.h>
#include <kj/async.h>
#include <kj/timer.h>
#include <kj/async-io.h>
#include <iostream>
#include <string>
#include <unistd.h>


// ---------------------------------------------------------------- Worker (passed to the master)

class WorkerImpl final : public Worker::Server {
public:
  uint64_t notified = 0;
  int stops = 0;
protected:
  kj::Promise<void> notify(NotifyContext context) override {
    notified = context.getParams().getRevision();
    return kj::READY_NOW;
  }
  kj::Promise<void> stopVm(StopVmContext context) override {
    stops++;
    context.getResults().setStopped(context.getParams().getVm() == "web");
    return kj::READY_NOW;
  }
  kj::Promise<void> collectLogs(CollectLogsContext context) override {
    auto params = context.getParams();
    uint32_t n = params.getMaxLines();
    auto lines = context.getResults().initLines(n);
    for (uint32_t i = 0; i < n; i++) {
      lines.set(i, kj::str("log-", params.getVm(), "-", i));
    }
    context.getResults().setTruncated(true);
    return kj::READY_NOW;
  }
};

// ---------------------------------------------------------------- Master

static void setRollout(RolloutStatus::Builder r, kj::StringPtr vm,
                       RolloutState state, uint64_t generation) {
  r.setVm(vm);
  r.setState(state);
  r.setGeneration(generation);
  r.setTotalReplicas(2);
}

class MasterImpl final : public Master::Server {
public:
  kj::Timer* timer = nullptr;
protected:
  kj::Promise<void> registerWorker(RegisterWorkerContext context) override {
    auto params = context.getParams();
    auto info = params.getInfo();
    kj::String host = kj::str(info.getHostname());
    uint32_t interval = 1000 + info.getLabels().size();
    Worker::Client worker = params.getWorker();
    auto notify = worker.notifyRequest();
    notify.setRevision(42);
    return notify.send().then([worker](auto&&) mutable {
      auto stop = worker.stopVmRequest();
      stop.setVm("web");
      stop.setReplica(0);
      stop.setReason("interop");
      return stop.send();
    }).then([worker](auto stopped) mutable {
      bool wasStopped = stopped.getStopped();
      auto logs = worker.collectLogsRequest();
      logs.setVm("web");
      logs.setMaxLines(2);
      return logs.send().then([wasStopped](auto logs) {
        return kj::str(logs.getLines()[0], wasStopped ? ":stopped" : ":running");
      });
    }).then([context, host = kj::mv(host), interval](kj::String suffix) mutable {
      context.getResults().setWorkerId(kj::str(host, ":", suffix));
      context.getResults().setHeartbeatIntervalMillis(interval);
    });
  }

  kj::Promise<void> heartbeat(HeartbeatContext context) override {
    auto params = context.getParams();
    context.getResults().setKnown(params.getWorkerId().size() > 0 && params.getMetrics().getRunningVms() == 3);
    return kj::READY_NOW;
  }

  kj::Promise<void> getAssignment(GetAssignmentContext context) override {
    auto params = context.getParams();
    uint32_t timeout = params.getTimeoutMillis();
    return timer->afterDelay(timeout * kj::MILLISECONDS).then([context]() mutable {
      auto params = context.getParams();
      auto results = context.getResults();
      results.setChanged(params.getKnownRevision() != 5);
      auto a = results.initAssignment();
      a.setWorkerId(params.getWorkerId());
      a.setRevision(5);
      auto vm = a.initVms(1)[0];
      vm.setVm("web");
      vm.setStorePath("/nix/store/abc-web");
      auto spec = vm.initSpec();
      spec.setName("web");
      spec.setCpu(1.5);
      spec.initMemory().setAmount(2);
      spec.getMemory().setUnit(MemoryUnit::GB);
      spec.initDeployment().initHealthChecks(1)[0].initHttp().setPort(8080);
    });
  }

  kj::Promise<void> pushData(PushDataContext context) override {
    auto params = context.getParams();
    kj::StringPtr id = params.getWorkerId();
    if (id == "failed") return KJ_EXCEPTION(FAILED, "asked to fail");
    if (id == "overloaded") return KJ_EXCEPTION(OVERLOADED, "asked to be overloaded");
    if (id == "disconnected") return KJ_EXCEPTION(DISCONNECTED, "asked to disconnect");
    if (id == "unimplemented") return KJ_EXCEPTION(UNIMPLEMENTED, "asked to be unimplemented");
    KJ_REQUIRE(params.getVms().size() == 1 && params.getHealth().size() == 1, "expected one vm and one health result");
    KJ_REQUIRE(params.getVms()[0].getPhase() == VmPhase::RUNNING, "expected a running vm");
    return kj::READY_NOW;
  }

  kj::Promise<void> publishState(PublishStateContext context) override {
    auto g = context.getParams().getGeneration();
    context.getResults().setNumber(g.getClosures().size() * 100 + g.getBlueprint().size());
    context.getResults().setChanged(g.getGitCommit().size() > 0);
    return kj::READY_NOW;
  }

  kj::Promise<void> getClusterStatus(GetClusterStatusContext context) override {
    auto status = context.getResults().initStatus();
    status.setGeneration(5);
    status.setGitCommit("abc123");
    status.setLeader("reference");
    auto w = status.initWorkers(1)[0];
    w.initInfo().setHostname("h1");
    w.setState(WorkerState::READY);
    return kj::READY_NOW;
  }

  kj::Promise<void> promote(PromoteContext context) override {
    setRollout(context.getResults().initRollout(), context.getParams().getVm(),
               RolloutState::IN_PROGRESS, 5);
    return kj::READY_NOW;
  }
  kj::Promise<void> rollback(RollbackContext context) override {
    setRollout(context.getResults().initRollout(), context.getParams().getVm(),
               RolloutState::ROLLED_BACK, context.getParams().getToGeneration());
    return kj::READY_NOW;
  }
  kj::Promise<void> pause(PauseContext context) override {
    setRollout(context.getResults().initRollout(), context.getParams().getVm(),
               RolloutState::PAUSED, 5);
    return kj::READY_NOW;
  }
  kj::Promise<void> resume(ResumeContext context) override {
    setRollout(context.getResults().initRollout(), context.getParams().getVm(),
               RolloutState::IN_PROGRESS, 5);
    return kj::READY_NOW;
  }
  kj::Promise<void> drainWorker(DrainWorkerContext context) override {
    auto params = context.getParams();
    auto w = context.getResults().initWorker();
    w.initInfo().setWorkerId(params.getWorkerId());
    w.setState(params.getDrain() ? WorkerState::DRAINING : WorkerState::READY);
    return kj::READY_NOW;
  }
  kj::Promise<void> getLeader(GetLeaderContext context) override {
    auto results = context.getResults();
    results.setLeader("reference");
    results.setRpcAddress("127.0.0.1:7441");
    results.setIsLeader(true);
    return kj::READY_NOW;
  }
};

// ---------------------------------------------------------------- client scenario

#define CHECK(cond, what) do { if (!(cond)) { std::cout << "FAIL " << what << std::endl; return 1; } \
  std::cout << "OK " << what << std::endl; } while (0)

static const char* typeName(kj::Exception::Type t) {
  switch (t) {
    case kj::Exception::Type::FAILED: return "FAILED";
    case kj::Exception::Type::OVERLOADED: return "OVERLOADED";
    case kj::Exception::Type::DISCONNECTED: return "DISCONNECTED";
    case kj::Exception::Type::UNIMPLEMENTED: return "UNIMPLEMENTED";
  }
  return "?";
}

static int runClient(const char* address) {
  capnp::EzRpcClient client(address);
  auto& ws = client.getWaitScope();
  Master::Client master = client.getMain<Master>();

  // registerWorker: our Worker capability goes to the master, which calls notify, stopVm, collectLogs on it
  auto ownWorker = kj::heap<WorkerImpl>();
  WorkerImpl& worker = *ownWorker;
  {
    auto req = master.registerWorkerRequest();
    auto info = req.initInfo();
    info.setHostname("h1");
    auto labels = info.initLabels(2);
    labels.set(0, "a");
    labels.set(1, "b");
    info.initCapacity().setCpu(4);
    req.setWorker(kj::mv(ownWorker));
    auto res = req.send().wait(ws);
    CHECK(res.getWorkerId() == "h1:log-web-0:stopped", "registerWorker workerId=" << res.getWorkerId().cStr());
    CHECK(res.getHeartbeatIntervalMillis() == 1002, "registerWorker heartbeatIntervalMillis");
    CHECK(worker.notified == 42 && worker.stops == 1, "worker called back (notify, stopVm, collectLogs)");
  }
  {
    // pipelined: ten heartbeats in flight before the first answer
    kj::Vector<capnp::RemotePromise<Master::HeartbeatResults>> pending;
    for (int i = 0; i < 10; i++) {
      auto req = master.heartbeatRequest();
      req.setWorkerId("h1");
      req.initMetrics().setRunningVms(i == 9 ? 2 : 3);
      pending.add(req.send());
    }
    int known = 0;
    for (auto& p : pending) known += p.wait(ws).getKnown() ? 1 : 0;
    CHECK(known == 9, "heartbeat x10 in flight");
  }
  {
    auto req = master.getAssignmentRequest();
    req.setWorkerId("h1");
    req.setKnownRevision(1);
    req.setTimeoutMillis(50);
    auto res = req.send().wait(ws);
    auto a = res.getAssignment();
    CHECK(res.getChanged() && a.getRevision() == 5 && a.getWorkerId() == "h1", "getAssignment");
    CHECK(a.getVms().size() == 1 && a.getVms()[0].getSpec().getCpu() == 1.5 &&
          a.getVms()[0].getSpec().getMemory().getUnit() == MemoryUnit::GB &&
          a.getVms()[0].getSpec().getDeployment().getHealthChecks()[0].getHttp().getPort() == 8080,
          "getAssignment nested spec");
  }
  {
    auto req = master.pushDataRequest();
    req.setWorkerId("h1");
    req.initVms(1)[0].setPhase(VmPhase::RUNNING);
    req.initHealth(1)[0].setHealthy(true);
    req.initMetrics().setCpuUsed(0.5);
    req.send().wait(ws);
    CHECK(true, "pushData");
  }
  for (const char* kind : {"failed", "overloaded", "disconnected", "unimplemented"}) {
    auto req = master.pushDataRequest();
    req.setWorkerId(kind);
    kj::String got = kj::str("none");
    try {
      req.send().wait(ws);
    } catch (kj::Exception& e) {
      got = kj::str(typeName(e.getType()));
    }
    std::string expected(kind);
    for (auto& c : expected) c = toupper(c);
    CHECK(got == expected.c_str(), "exception " << expected << " got " << got.cStr());
  }
  {
    auto req = master.publishStateRequest();
    auto g = req.initGeneration();
    g.setGitCommit("abc123");
    g.initBlueprint(2)[1].setName("db");
    auto closures = g.initClosures(2);
    closures[0].setVm("web");
    closures[0].setStorePath("/nix/store/abc-web");
    auto res = req.send().wait(ws);
    CHECK(res.getNumber() == 202 && res.getChanged(), "publishState");
  }
  {
    auto res = master.getClusterStatusRequest().send().wait(ws);
    auto s = res.getStatus();
    CHECK(s.getGeneration() == 5 && s.getGitCommit() == "abc123" && s.getWorkers().size() == 1 &&
          s.getWorkers()[0].getInfo().getHostname() == "h1", "getClusterStatus leader=" << s.getLeader().cStr());
  }
  {
    auto p = master.promoteRequest(); p.setVm("web");
    auto r = master.rollbackRequest(); r.setVm("web"); r.setToGeneration(3);
    auto pa = master.pauseRequest(); pa.setVm("web");
    auto re = master.resumeRequest(); re.setVm("web");
    auto promoted = p.send(); auto rolled = r.send(); auto paused = pa.send(); auto resumed = re.send();
    CHECK(promoted.wait(ws).getRollout().getState() == RolloutState::IN_PROGRESS, "promote");
    auto rb = rolled.wait(ws).getRollout();
    CHECK(rb.getState() == RolloutState::ROLLED_BACK && rb.getGeneration() == 3, "rollback");
    CHECK(paused.wait(ws).getRollout().getState() == RolloutState::PAUSED, "pause");
    CHECK(resumed.wait(ws).getRollout().getVm() == "web", "resume");
  }
  {
    auto d = master.drainWorkerRequest(); d.setWorkerId("h1"); d.setDrain(true);
    auto w = d.send().wait(ws).getWorker();
    CHECK(w.getState() == WorkerState::DRAINING && w.getInfo().getWorkerId() == "h1", "drainWorker");
    auto l = master.getLeaderRequest().send().wait(ws);
    CHECK(l.getIsLeader() && l.getRpcAddress() == "127.0.0.1:7441", "getLeader leader=" << l.getLeader().cStr());
  }
  std::cout << "DONE" << std::endl;
  return 0;
}

// Registers a worker, then waits on a long poll forever: the test kills this process mid-call.
static int runHang(const char* address) {
  capnp::EzRpcClient client(address);
  auto& ws = client.getWaitScope();
  Master::Client master = client.getMain<Master>();
  auto reg = master.registerWorkerRequest();
  reg.initInfo().setHostname("doomed");
  reg.setWorker(kj::heap<WorkerImpl>());
  reg.send().wait(ws);
  auto req = master.getAssignmentRequest();
  req.setWorkerId("doomed");
  req.setTimeoutMillis(600000);
  auto pending = req.send();
  std::cout << "WAITING" << std::endl;
  pending.wait(ws);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: peer serve|client <address>" << std::endl;
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "serve") {
    auto impl = kj::heap<MasterImpl>();
    MasterImpl& master = *impl;
    capnp::EzRpcServer server(kj::mv(impl), argv[2]);
    master.timer = &server.getIoProvider().getTimer();  // the timer lives in the server's event loop
    auto& ws = server.getWaitScope();
    uint port = server.getPort().wait(ws);
    std::cout << "listening " << port << std::endl;
    kj::NEVER_DONE.wait(ws);
  }
  if (mode == "client") {
    return runClient(argv[2]);
  }
  if (mode == "hang") {
    return runHang(argv[2]);
  }
  return 2;
}
