using TorchSharp;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class StepScheduleTests
{
    [Fact]
    public void The_constant_schedule_gives_the_configured_rate_every_step()
    {
        var schedule = new StepSchedule(new TrainingOptions(LearningRate: 0.003), plannedSteps: 10);

        Assert.All(Enumerable.Range(0, 25), _ => Assert.Equal(0.003, schedule.Next()));
    }

    [Fact]
    public void The_cosine_schedule_gives_the_rates_TorchSharps_CosineAnnealingLR_gives()
    {
        const int steps = 60;
        var options = new TrainingOptions(LearningRate: 0.002, Schedule: LearningRateSchedule.Cosine);
        var schedule = new StepSchedule(options, steps);
        using var parameter = new TorchSharp.Modules.Parameter(torch.zeros(1));
        using var optimizer = torch.optim.Adam([parameter], lr: options.LearningRate);
        var reference = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps, options.LearningRate * 0.01);

        for (var step = 0; step < steps; step++)
        {
            Assert.Equal(optimizer.ParamGroups.Single().LearningRate, schedule.Next(), 1e-12);
            reference.step();
        }

        Assert.Equal(options.LearningRate * 0.01, optimizer.ParamGroups.Single().LearningRate, 1e-12);
    }
}
